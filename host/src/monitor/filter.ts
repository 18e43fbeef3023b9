// `qiot monitor --filter`: which records to show. Terms, comma-separated (the
// option may be repeated):
//   telemetry | log | error | done   show these kinds of record (any of them)
//   log:LEVEL                        logs at LEVEL or more severe (debug < info < warn < error)
//   /REGEX/ or /REGEX/i              only lines whose text matches (every regex given)
// The monitor's own link events (connected, lost, reconnected) are always shown.
import { QiotError } from '../errors.ts';
import { LOG_LEVELS } from '../protocol/constants.ts';
import type { Level, MonitorRecord } from './records.ts';

const FILTER_KINDS = ['telemetry', 'log', 'error', 'done'] as const;

export interface MonitorFilter {
  /** Kinds shown; null: all. */
  kinds: Set<string> | null;
  /** Least severe log level shown (logs only); null: all. */
  minLogLevel: Level | null;
  patterns: RegExp[];
}

export const SHOW_ALL: MonitorFilter = { kinds: null, minLogLevel: null, patterns: [] };

export class FilterError extends QiotError {
  constructor(message: string) {
    super(`--filter: ${message}`, 'invalid');
    this.name = 'FilterError';
  }
}

const severity = (level: string) => (LOG_LEVELS as readonly string[]).indexOf(level);

/** Splits on commas outside /…/ so a regex may hold commas. */
function splitTerms(spec: string): string[] {
  const terms: string[] = [];
  let current = '';
  let inRegex = false;
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (c === '/' && (current === '' || inRegex) && spec[i - 1] !== '\\') inRegex = current === '' ? true : !inRegex;
    if (c === ',' && !inRegex) {
      terms.push(current.trim());
      current = '';
    } else current += c;
  }
  terms.push(current.trim());
  return terms.filter((t) => t.length > 0);
}

export function parseFilter(specs: readonly string[]): MonitorFilter {
  const kinds = new Set<string>();
  let minLogLevel: Level | null = null;
  const patterns: RegExp[] = [];
  for (const term of specs.flatMap(splitTerms)) {
    const regex = /^\/(.*)\/([a-z]*)$/s.exec(term);
    if (regex) {
      try {
        patterns.push(new RegExp(regex[1], regex[2].replace(/[gy]/g, ''))); // test() must not keep state
      } catch (err) {
        throw new FilterError(`'${term}' is not a valid regular expression: ${(err as Error).message}`);
      }
      continue;
    }
    const level = /^log:(\w+)$/.exec(term);
    if (level) {
      if (severity(level[1]) < 0) throw new FilterError(`unknown log level '${level[1]}'; choose from ${LOG_LEVELS.join(', ')}`);
      minLogLevel = level[1] as Level;
      kinds.add('log');
      continue;
    }
    if ((FILTER_KINDS as readonly string[]).includes(term)) {
      kinds.add(term);
      continue;
    }
    throw new FilterError(
      `unknown term '${term}'; use a kind (${FILTER_KINDS.join(', ')}), log:LEVEL (${LOG_LEVELS.join(', ')}) or /REGEX/`,
    );
  }
  return { kinds: kinds.size > 0 ? kinds : null, minLogLevel, patterns };
}

export function passes(filter: MonitorFilter, record: MonitorRecord): boolean {
  if (record.kind === 'link') return true;
  if (filter.kinds && !filter.kinds.has(record.kind)) return false;
  if (record.kind === 'log' && filter.minLogLevel && severity(record.level) < severity(filter.minLogLevel)) return false;
  return filter.patterns.every((p) => p.test(record.text));
}
