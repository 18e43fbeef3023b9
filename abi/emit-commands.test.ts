// The command index generator: declaration lines parsed, checked and listed by order key.
import { describe, expect, it } from 'vitest';
import { commandDeclarations, commandsSource, declarationsOf } from './emit-commands.ts';

const mod = (file: string, ...lines: string[]) => ({
  file,
  text: [...lines, '// not a declaration', 'export function register() {}'].join('\n'),
});

describe('command declarations', () => {
  it('reads every declaration of a module, with order key, name and summary', () => {
    expect(
      declarationsOf('rollback.ts', '// qiot-command: 20 rollback — undo: the other slot\n// qiot-command: 10 confirm — keep it\n'),
    ).toEqual([
      { order: 20, name: 'rollback', summary: 'undo: the other slot', file: 'rollback.ts' },
      { order: 10, name: 'confirm', summary: 'keep it', file: 'rollback.ts' },
    ]);
  });

  it('refuses a malformed declaration line, naming the file and line', () => {
    expect(() => declarationsOf('x.ts', 'import a;\n// qiot-command: sim — no order key')).toThrow(
      /host\/src\/cli\/x.ts:2: a declaration reads/,
    );
    expect(() => declarationsOf('x.ts', '// qiot-command: 10 Sim — capital')).toThrow(/x.ts:1/);
    expect(() => declarationsOf('x.ts', '// qiot-command: 10 sim —')).toThrow(/x.ts:1/);
  });

  it('lists by order key and refuses a name or an order key declared twice', () => {
    const listed = commandDeclarations([mod('b.ts', '// qiot-command: 30 b — B'), mod('a.ts', '// qiot-command: 40 a — A')]);
    expect(listed.map((d) => d.name)).toEqual(['b', 'a']);
    expect(() => commandDeclarations([mod('a.ts', '// qiot-command: 10 a — A'), mod('b.ts', '// qiot-command: 20 a — B')])).toThrow(
      /command 'a' is declared twice: in host\/src\/cli\/a.ts and host\/src\/cli\/b.ts/,
    );
    expect(() => commandDeclarations([mod('a.ts', '// qiot-command: 10 a — A'), mod('b.ts', '// qiot-command: 10 b — B')])).toThrow(
      /order key 10 is declared twice/,
    );
  });

  it('gives the commands of one module one loader, and quotes summaries', () => {
    const source = commandsSource([
      { order: 10, name: 'rollback', summary: 'the other slot', file: 'rollback.ts' },
      { order: 20, name: 'eval', summary: "a run's θ \\ data", file: 'eval.ts' },
      { order: 30, name: 'confirm', summary: 'keep it', file: 'rollback.ts' },
    ]);
    expect(source.match(/import\(/g)).toHaveLength(2);
    expect(source).toContain("const load_rollback = (): Promise<CommandModule> => import('./rollback.ts');");
    expect(source).toContain("{ name: 'eval', summary: 'a run\\'s θ \\\\ data', load: load_eval },");
    expect(source.indexOf("name: 'rollback'")).toBeLessThan(source.indexOf("name: 'eval'"));
    expect(source).toContain("{ name: 'confirm', summary: 'keep it', load: load_rollback },");
  });
});
