// Reading a run config: file → JSON (syntax errors with line:column) → schema
// and cross-field rules → a complete RunConfig with every default filled in.
import { readFileSync } from 'node:fs';
import { parse as parseTolerant, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { crossFieldViolations } from './cross-rules.ts';
import { ConfigError, dottedPath, problemsFromZod } from './errors.ts';
import { applyOverrides, type ConfigOverrides } from './overrides.ts';
import { LIMITS, type Limits } from './limits.ts';
import { layerGroups } from './schedule.ts';
import { RunConfigShape, effectiveGradient, runConfigShape, type RunConfig } from './schema.ts';

/** Parses a config for a module with these capacities (default: the device build's). */
export function parseConfig(value: unknown, source = 'config', limits: Limits = LIMITS): RunConfig {
  const shape = limits === LIMITS ? RunConfigShape : runConfigShape(limits);
  const result = shape.safeParse(value, { reportInput: true });
  if (!result.success) throw new ConfigError(source, problemsFromZod(result.error.issues));
  const violations = crossFieldViolations(result.data, limits);
  if (violations.length > 0) {
    throw new ConfigError(
      source,
      violations.map((v) => ({ field: dottedPath(v.path), message: v.message })),
    );
  }
  const cfg = result.data;
  cfg.optimizer.gradient ??= effectiveGradient(cfg);
  if (cfg.schedule?.kind === 'layerwise') cfg.schedule.groups = layerGroups(cfg.layers, cfg.schedule);
  return cfg;
}

export function loadConfig(path: string, overrides: ConfigOverrides = {}, limits: Limits = LIMITS): RunConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(err);
    throw new ConfigError(path, [{ field: '', message: `cannot read the file: ${reason}` }]);
  }
  return parseConfig(applyOverrides(parseJsonText(text, path), overrides), path, limits);
}

/** JSON.parse, but a syntax error names the line and column (found with jsonc-parser in strict mode). */
export function parseJsonText(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const errors: ParseError[] = [];
    parseTolerant(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    if (!first) throw new ConfigError(source, [{ field: '', message: `not valid JSON: ${(err as Error).message}` }]);
    const { line, column } = lineAndColumn(text, first.offset);
    throw new ConfigError(source, [
      { field: '', message: `not valid JSON at line ${line}, column ${column}: ${describeParseError(first)}` },
    ]);
  }
}

function describeParseError(e: ParseError): string {
  const words = printParseErrorCode(e.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { line, column };
}
