// Every command's --help as commander renders it: it ends with its own exit codes, every
// short flag means one thing across commands, and -b on flash-firmware (once
// --baud) is refused with a pointer to --baud.
import type { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { qiot } from '../../testing/harness.ts';
import { allCommands, buildProgram } from './commands.ts';
import { EXIT_CODES_HELP, listedExitCodes, SUBCOMMAND_EXIT_CODES_HELP } from './exit-codes.ts';

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

  it('qiot --help shows the CLI-wide table; a command with subcommands points to theirs', () => {
    expect(renderHelp(program)).toContain(EXIT_CODES_HELP);
    for (const group of commands.filter((c) => c.commands.length > 0)) {
      expect(renderHelp(group), nameOf(group)).toContain(SUBCOMMAND_EXIT_CODES_HELP);
    }
  });

  const leaves = commands.filter((c) => c.commands.length === 0);
  it.each(leaves.map((c) => [nameOf(c), c] as const))('%s lists its own exit codes, each with its cause', (_, cmd) => {
    const help = renderHelp(cmd);
    const listed = listedExitCodes(help);
    expect(listed, help).not.toBeNull();
    // Not the CLI-wide table: the codes this command can return and what causes each.
    expect(help).not.toContain(EXIT_CODES_HELP);
    const codes = listed!.map((l) => l.code);
    expect(codes.length, help).toBeGreaterThan(1);
    expect(codes, 'in code order, each once').toEqual([...new Set(codes)].sort((a, b) => a - b));
    for (const code of codes) expect(KNOWN_CODES.has(code), `${code} in: ${help}`).toBe(true);
    for (const l of listed!) expect(l.cause.length, `code ${l.code} needs its cause`).toBeGreaterThan(1);
    expect(codes).toContain(0);
    // Every command takes options: commander refuses an unknown or malformed one (exit 2).
    expect(codes).toContain(2);
    // A command that talks to a board over a port, or to the fleet's broker, says what
    // happens when it is unreachable.
    const reaches = (o: Option) => o.long === '--port' || o.long === '--broker';
    if (cmd.options.some(reaches)) expect(codes).toContain(3);
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
