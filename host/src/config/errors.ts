// ConfigError: every problem of a config, each naming its JSON field, so the CLI
// can print them all at once and exit 2.
import type { z } from 'zod';
import { QiotError } from '../errors.ts';

export interface ConfigProblem {
  /** Dotted JSON path, e.g. `optimizer.lr`; empty for the whole document. */
  field: string;
  message: string;
}

export class ConfigError extends QiotError {
  readonly problems: ConfigProblem[];
  readonly source: string;

  constructor(source: string, problems: ConfigProblem[]) {
    const lines = problems.map((p) => (p.field ? `  ${p.field}: ${p.message}` : `  ${p.message}`));
    super(`invalid config ${source}:\n${lines.join('\n')}`, 'invalid');
    this.name = 'ConfigError';
    this.source = source;
    this.problems = problems;
  }
}

export function dottedPath(path: readonly PropertyKey[]): string {
  return path
    .map((k) => (typeof k === 'number' ? `[${k}]` : String(k)))
    .join('.')
    .replace(/\.\[/g, '[');
}

export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

const quoteList = (values: readonly unknown[]) => values.map((v) => describeValue(v)).join(', ');

/** Turns zod issues (parsed with `reportInput: true`) into problems a person understands. */
export function problemsFromZod(issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const issue of issues) {
    const field = dottedPath(issue.path);
    // One message per field: an out-of-range number would otherwise fail `int` and `max` both.
    if (issue.code !== 'unrecognized_keys' && out.some((p) => p.field === field)) continue;
    const got = 'input' in issue ? ` (got ${describeValue(issue.input)})` : '';
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          out.push({ field: dottedPath([...issue.path, key]), message: 'unknown key' });
        }
        break;
      case 'invalid_value':
        out.push({ field, message: `must be one of ${quoteList(issue.values)}${got}` });
        break;
      case 'invalid_union': {
        // A discriminated union reports the whole object as input; show the discriminator's value.
        const union = issue as typeof issue & { discriminator?: string; options?: unknown[] };
        if (union.discriminator && Array.isArray(union.options)) {
          const input = issue.input as Record<string, unknown> | undefined;
          const value = typeof input === 'object' && input !== null ? input[union.discriminator] : undefined;
          out.push({ field, message: `must be one of ${quoteList(union.options)} (got ${describeValue(value)})` });
        } else {
          out.push({ field, message: `${issue.message}${got}` });
        }
        break;
      }
      case 'invalid_type':
        out.push({
          field,
          message: issue.input === undefined ? 'is required' : `must be ${article(issue.expected)}${got}`,
        });
        break;
      default:
        out.push({ field, message: `${issue.message}${got}` });
    }
  }
  return out;
}

function article(expected: string): string {
  if (expected === 'int') return 'an integer';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
