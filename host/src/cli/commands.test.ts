// The command registry (commands.generated.ts, from the modules' `// qiot-command:` lines):
// every command module is listed, under its own name, with the summary its module gives
// (so `qiot --help`, which loads no module, is true).
import { readdirSync, readFileSync } from 'node:fs';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, COMMANDS, commandNamed, type CommandModule } from './commands.ts';

const CLI_DIR = new URL('./', import.meta.url);

describe('command registry', () => {
  it('lists every command that the command modules of host/src/cli register, once', async () => {
    const modules = readdirSync(CLI_DIR)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .filter((f) => /^export function register\(program: Command\)/m.test(readFileSync(new URL(f, CLI_DIR), 'utf8')));
    const program = new Command('qiot');
    for (const f of modules) ((await import(new URL(f, CLI_DIR).href)) as CommandModule).register(program);
    expect(
      COMMANDS.map((c) => c.name).sort(),
      "each command needs a '// qiot-command: <order> <name> — <summary>' line in its module, then `make abi`",
    ).toEqual(program.commands.map((c) => c.name()).sort());
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))(
    '%s: the module registers that command with the listed summary',
    async (name, entry) => {
      const program = new Command('qiot');
      (await entry.load()).register(program);
      expect(
        program.commands.find((c) => c.name() === name)?.description(),
        `the summary of ${name}'s '// qiot-command:' line must equal its .description(…): edit the line, then \`make abi\``,
      ).toBe(entry.summary);
    },
  );

  it('builds a program with only the named command, or with every summary when none is named', async () => {
    expect((await buildProgram(['eval', 'x.jsonl'])).commands.map((c) => c.name())).toEqual(['eval']);
    expect((await buildProgram(['confirm', '--port', 'p'])).commands.map((c) => c.name())).toEqual(['rollback', 'confirm']);
    const listing = await buildProgram(['--help']);
    expect(listing.commands.map((c) => [c.name(), c.description()])).toEqual(COMMANDS.map((c) => [c.name, c.summary]));
  });

  it('finds the command a command line names', () => {
    expect(commandNamed(['sim', '--config', 'x.json'])?.name).toBe('sim');
    expect(commandNamed(['help', 'train'])?.name).toBe('train');
    expect(commandNamed(['--help'])).toBeUndefined();
    expect(commandNamed(['--version'])).toBeUndefined();
    expect(commandNamed(['simulate'])).toBeUndefined();
  });
});
