import { describe, expect, it } from 'vitest';
import { parseWordDump } from './qemu-monitor.ts';

describe('parseWordDump', () => {
  const dump = [
    'xp /6wx 0x8044c000',
    '000000008044c000: 0x5a17c0de 0x5a17c0de 0x5a17c0de 0x00000000',
    '000000008044c010: 0x80400010 0xffffffff',
  ].join('\r\n');

  it('reads the words of an xp dump in address order, skipping the echoed command', () => {
    expect(parseWordDump(dump, 0x8044c000, 6)).toEqual([0x5a17c0de, 0x5a17c0de, 0x5a17c0de, 0, 0x80400010, 0xffffffff]);
  });

  it('refuses a dump that skips addresses', () => {
    expect(() => parseWordDump(dump.replace('8044c010', '8044c020'), 0x8044c000, 6)).toThrow(/not contiguous at 000000008044c020/);
  });

  it('refuses a dump with fewer words than asked (e.g. an error message instead)', () => {
    expect(() => parseWordDump('Cannot access memory', 0x80400000, 1)).toThrow(/returned 0 of 1 words/);
  });
});
