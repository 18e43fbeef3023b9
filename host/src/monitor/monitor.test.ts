import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MessageType } from '../protocol/constants.ts';
import { encodeDone, encodeError, encodeLog } from '../protocol/payloads.generated.ts';
import { describePortHolders, findPortHolders, lockKeyOf } from '../transport/port-holder.ts';
import { parseFilter, passes, SHOW_ALL } from './filter.ts';
import { jsonLine, linkRecord, recordOfFrame, textLine, wantsColour } from './records.ts';

const frame = (type: number, payload: Uint8Array) => ({ version: 1, type, seq: 0, payload });
const log = (level: number, text: string) => recordOfFrame(frame(MessageType.LOG, encodeLog({ level, text })))!;

describe('monitor records', () => {
  it('decodes LOG, ERROR and DONE into named fields; DONE uses the loss names and the percent format', () => {
    expect(log(2, 'slot 1 bad')).toMatchObject({ kind: 'log', level: 'warn', text: 'LOG warn: slot 1 bad' });
    const err = recordOfFrame(frame(MessageType.ERROR, encodeError({ code: 1, text: 'x' })))!;
    expect(err).toMatchObject({ kind: 'error', level: 'error' });
    const done = recordOfFrame(
      frame(
        MessageType.DONE,
        encodeDone({ status: 0, steps: 80, shotsTotal: 1000n, trainLoss: 0.409, testAccuracy: 0.92, testLoss: Number.NaN }),
      ),
    )!;
    expect(done.text).toMatch(/after 80 steps, shots 1000, exact train loss 0\.40900, test loss —, test accuracy 92\.0 %$/);
    expect(JSON.parse(jsonLine(done))).toMatchObject({ kind: 'done', steps: 80, train_loss: 0.409, test_loss: null, test_accuracy: 0.92 });
  });

  it('colours only when asked: a TTY without NO_COLOR', () => {
    const r = linkRecord('connected');
    expect(textLine(r, false)).toBe(`${r.time} connected`);
    expect(textLine(r, true)).toContain('\u001b[36mconnected');
    const tty = { isTTY: true, hasColors: () => true } as unknown as NodeJS.WriteStream;
    expect(wantsColour(tty, {})).toBe(true);
    expect(wantsColour(tty, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColour({ isTTY: false } as unknown as NodeJS.WriteStream, {})).toBe(false);
  });
});

describe('monitor --filter', () => {
  it('kinds, log:LEVEL and regexes (with commas) combine; link events always pass', () => {
    const f = parseFilter(['log:warn,done', '/slot \\d,/']);
    expect(f.kinds).toEqual(new Set(['log', 'done']));
    expect(f.patterns.map(String)).toEqual(['/slot \\d,/']);
    expect(passes(f, log(3, 'slot 1, gone'))).toBe(true);
    expect(passes(f, log(2, 'slot 2, bad'))).toBe(true);
    expect(passes(f, log(1, 'slot 2, info'))).toBe(false); // below warn
    expect(passes(f, log(3, 'other'))).toBe(false); // regex
    expect(passes(f, linkRecord('link lost'))).toBe(true);
    expect(passes(SHOW_ALL, log(0, 'debug'))).toBe(true);
    const g = parseFilter(['/A/gi']);
    expect([1, 2, 3].map(() => passes(g, log(1, 'a')))).toEqual([true, true, true]); // no lastIndex state
  });

  it('refuses unknown terms, levels and bad regexes by name', () => {
    expect(() => parseFilter(['telemetry,bogus'])).toThrow(/--filter: unknown term 'bogus'/);
    expect(() => parseFilter(['log:loud'])).toThrow(/unknown log level 'loud'; choose from debug, info, warn, error/);
    expect(() => parseFilter(['/(/'])).toThrow(/'\/\(\/' is not a valid regular expression/);
  });
});

describe('port holder', () => {
  it('reads the lock owner from /proc/locks, else the processes with the file open', () => {
    const root = mkdtempSync(join(tmpdir(), 'qiot-proc-'));
    try {
      const port = join(root, 'tty');
      writeFileSync(port, '');
      const st = statSync(port);
      mkdirSync(join(root, '4242', 'fd'), { recursive: true });
      writeFileSync(join(root, '4242', 'cmdline'), 'node\0qiot\0train\0');
      mkdirSync(join(root, '77', 'fd'), { recursive: true });
      writeFileSync(join(root, '77', 'cmdline'), 'qiot-board\0');
      symlinkSync(port, join(root, '77', 'fd', '3'));
      // No lock listed: whoever has it open.
      writeFileSync(join(root, 'locks'), '');
      expect(findPortHolders(port, root)).toEqual([{ pid: 77, command: 'qiot-board' }]);
      // A flock on it: its owner only.
      writeFileSync(
        join(root, 'locks'),
        `1: POSIX  ADVISORY  WRITE 9 00:01:2 0 EOF\n2: FLOCK  ADVISORY  WRITE 4242 ${lockKeyOf(st.dev, st.ino)} 0 EOF\n`,
      );
      const holders = findPortHolders(port, root);
      expect(holders).toEqual([{ pid: 4242, command: 'node qiot train' }]);
      expect(describePortHolders('/dev/ttyUSB0', holders)).toBe(
        '/dev/ttyUSB0 is in use by pid 4242 (node qiot train): stop it or wait for it to finish (one program at a time can talk to a board)',
      );
      expect(describePortHolders('/dev/ttyUSB0', [])).toMatch(/in use by another program/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('formats st_dev as Linux does in /proc/locks', () => {
    expect(lockKeyOf(26, 3)).toBe('00:1a:3'); // devpts, seen on this kernel
    expect(lockKeyOf((8 << 8) | 1, 99)).toBe('08:01:99');
  });
});
