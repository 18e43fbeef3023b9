// Where an experiment writes its results: JSON, Markdown, figures and the
// exact command line that produced them.
import { join } from 'node:path';
import { makeDirectory, writeFileAt } from '../file-errors.ts';

export class ExperimentOutput {
  readonly files: string[] = [];

  constructor(readonly dir: string) {
    makeDirectory(dir);
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  json(name: string, value: unknown): string {
    return this.text(name, JSON.stringify(value, jsonReplacer, 2) + '\n');
  }

  text(name: string, content: string): string {
    const p = this.path(name);
    writeFileAt(p, content);
    this.files.push(p);
    return p;
  }

  record(paths: readonly string[]): void {
    this.files.push(...paths);
  }
}

/** NaN and ±∞ are not JSON: write them as strings rather than as null. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** The command line as a person would type it, for the results' README. */
export function commandLine(argv: readonly string[] = process.argv): string {
  const args = argv.slice(2).map((a) => (/^[\w./=:,-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`));
  return ['qiot', ...args].join(' ');
}
