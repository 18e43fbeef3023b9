import { describe, expect, it } from 'vitest';
import { ErrorCode, MAX_ENCODED_FRAME } from './constants.ts';
import { FrameDecoder, type DecodeEvent } from './decoder.ts';
import { encodeFrame, encodeRawFrame, wireBytes } from './frame.ts';

const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const summary = (events: DecodeEvent[]) =>
  events.map((e) => (e.kind === 'frame' ? `frame ${e.frame.type}/${e.frame.seq}` : `fault ${e.fault.code}`));

describe('FrameDecoder', () => {
  it('yields frames split across arbitrary chunk boundaries', () => {
    const wire = cat(encodeFrame(0x81, 1, new Uint8Array(300).fill(7)), encodeFrame(0x80, 2, Uint8Array.of(0, 0, 0, 0)));
    for (const size of [1, 2, 3, 7, 64, 1000]) {
      const d = new FrameDecoder({ waitForDelimiter: false });
      const events: DecodeEvent[] = [];
      for (let i = 0; i < wire.length; i += size) events.push(...d.push(wire.subarray(i, i + size)));
      expect(summary(events)).toEqual(['frame 129/1', 'frame 128/2']);
      const first = events[0];
      expect(first.kind === 'frame' && first.frame.payload.every((b) => b === 7)).toBe(true);
    }
  });

  it('drops a partial frame silently before the first delimiter after start-up', () => {
    const d = new FrameDecoder();
    const frame = encodeFrame(0x80, 5);
    // The tail of a frame we joined in the middle of, then a whole frame.
    expect(summary(d.push(cat(frame.subarray(3), frame)))).toEqual(['frame 128/5']);
  });

  it('ignores empty frames (consecutive delimiters)', () => {
    const d = new FrameDecoder({ waitForDelimiter: false });
    expect(summary(d.push(cat(Uint8Array.of(0, 0, 0), encodeFrame(0x80, 9), Uint8Array.of(0))))).toEqual(['frame 128/9']);
  });

  it('reports garbage between frames and keeps decoding', () => {
    const d = new FrameDecoder({ waitForDelimiter: false });
    const garbage = Uint8Array.of(0x13, 0x37, 0x42, 0x00);
    const events = d.push(cat(encodeFrame(0x80, 1), garbage, encodeFrame(0x80, 2)));
    expect(summary(events)).toEqual(['frame 128/1', `fault ${ErrorCode.BAD_FRAME}`, 'frame 128/2']);
  });

  it('reports oversize input once and resynchronises at the next delimiter', () => {
    const d = new FrameDecoder({ waitForDelimiter: false });
    const junk = new Uint8Array(MAX_ENCODED_FRAME * 3).fill(0x55);
    const events = d.push(cat(junk, Uint8Array.of(0), encodeFrame(0x80, 3)));
    expect(summary(events)).toEqual([`fault ${ErrorCode.OVERSIZE}`, 'frame 128/3']);
  });

  it('accepts a maximum-size frame exactly', () => {
    const d = new FrameDecoder({ waitForDelimiter: false });
    const events = d.push(encodeFrame(0x03, 1, new Uint8Array(1024).fill(1)));
    expect(summary(events)).toEqual(['frame 3/1']);
  });

  it('reports a corrupted frame as BAD_CRC', () => {
    const raw = encodeRawFrame(0x80, 4, Uint8Array.of(9, 9));
    raw[6] = 8;
    const d = new FrameDecoder({ waitForDelimiter: false });
    expect(summary(d.push(wireBytes(raw)))).toEqual([`fault ${ErrorCode.BAD_CRC}`]);
  });

  it('survives arbitrary noise: never throws, and the next frame after a delimiter is decoded', () => {
    let x = 0x2545f491;
    const rand = () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return x >>> 0;
    };
    for (let trial = 0; trial < 200; trial++) {
      const d = new FrameDecoder({ waitForDelimiter: trial % 2 === 0 });
      const noise = Uint8Array.from({ length: rand() % 3000 }, () => (rand() % 7 === 0 ? 0 : rand() & 0xff));
      expect(() => d.push(noise)).not.toThrow();
      const frame = encodeFrame(0x83, trial + 1, new Uint8Array(72).fill(trial & 0xff));
      const events = d.push(cat(Uint8Array.of(0), frame));
      const frames = events.filter((e) => e.kind === 'frame');
      expect(frames.length, `trial ${trial}`).toBe(1);
      const only = frames[0];
      expect(only.kind === 'frame' && only.frame.seq).toBe(trial + 1);
    }
  });
});
