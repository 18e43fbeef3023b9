// Every command's --help as commander renders it: it ends with exit codes, every
// short flag means one thing across commands, and -b on flash-firmware (once
// --baud) is refused with a pointer to --baud.
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { qiot } from '../../testing/harness.ts';
import { allCommands, buildProgram } from './commands.ts';

const KNOWN_CODES = new Set([0, 1, 2, 3, 130]);

function renderHelp(cmd: Command): string {
  let text = '';
  cmd.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
  cmd.outputHelp();
  return text;
}

const nameOf = (cmd: Command): string => (cmd.parent?.parent ? `${nameOf(cmd.parent)} ${cmd.name()}` : cmd.name());

describe('qiot --help', async () => {
  const program = await buildProgram();
  const commands = allCommands(program);

  it('covers every command and subcommand', () => {
    expect(commands.length).toBeGreaterThan(25);
    expect(commands.map(nameOf)).toEqual(expect.arrayContaining(['sim', 'monitor', 'report', 'fleet ls', 'keys generate']));
  });

  it.each([program, ...commands].map((c) => [nameOf(c), c] as const))('%s lists its exit codes', (_, cmd) => {
    const help = renderHelp(cmd);
    const line = /Exit codes: (.*)/s.exec(help);
    expect(line, help).not.toBeNull();
    const codes = [...line![1].matchAll(/(?:^|[,;:] |\s)(\d{1,3}) /g)].map((m) => Number(m[1]));
    expect(codes).toContain(0);
    for (const code of codes) expect(KNOWN_CODES.has(code), `${code} in: ${line![1]}`).toBe(true);
    // A command that talks to a board over a port says what happens when it is unreachable.
    if (cmd.options.some((o) => o.long === '--port')) expect(codes).toContain(3);
  });

  it('every short flag means the same long option in every command', () => {
    const meanings = new Map<string, Set<string>>();
    for (const cmd of commands) {
      for (const option of cmd.options) {
        if (!option.short || option.hidden) continue;
        const set = meanings.get(option.short) ?? new Set<string>();
        set.add(option.long ?? option.short);
        meanings.set(option.short, set);
      }
    }
    const clashes = [...meanings].filter(([, longs]) => longs.size > 1).map(([s, longs]) => `${s}: ${[...longs].join(' / ')}`);
    expect(clashes).toEqual([]);
    expect(meanings.get('-b')).toEqual(new Set(['--board']));
  });
});

describe('-b', () => {
  it('flash-firmware refuses -b (now --board everywhere) and names --baud', async () => {
    const r = await qiot(['flash-firmware', '--port', '/dev/null', '-b', '921600']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('qiot: -b is --board in every qiot command; the flashing baud rate is --baud (e.g. --baud 921600)\n');
  });
});
