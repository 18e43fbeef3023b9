// The runs of a sweep: the config × --optimizers × --seeds × every --set
// combination. Each run gets an id derived from its resolved config, so the
// same grid always yields the same ids (the key of --resume and of duplicate
// results), and a readable prefix naming what varies.
import { createHash } from 'node:crypto';
import { ConfigError } from '../config/errors.ts';
import { QiotError } from '../errors.ts';
import { parseConfig } from '../config/load.ts';
import type { RunConfig } from '../config/schema.ts';

export interface SweepRun {
  id: string;
  config: RunConfig;
  /** What this run sets: optimizer, seed and each --set key. */
  params: Record<string, unknown>;
}

export class SweepUsageError extends QiotError {
  constructor(message: string) {
    super(message, 'invalid');
    this.name = 'SweepUsageError';
  }
}

/** "1..50", "3", "1,4,9" or "1..3,10" → whole numbers ≥ 0, in order, without repeats. */
export function parseSeeds(text: string): number[] {
  const seeds: number[] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    const range = /^(\d+)\.\.(\d+)$/.exec(part);
    if (range) {
      const [a, b] = [Number(range[1]), Number(range[2])];
      if (b < a) throw new SweepUsageError(`--seeds: empty range ${part}`);
      if (b - a >= 100_000) throw new SweepUsageError(`--seeds: ${part} is more than 100 000 seeds`);
      for (let s = a; s <= b; s++) seeds.push(s);
    } else if (/^\d+$/.test(part)) {
      seeds.push(Number(part));
    } else {
      throw new SweepUsageError(`--seeds: '${part}' is not a seed or a range A..B`);
    }
  }
  if (new Set(seeds).size !== seeds.length) throw new SweepUsageError('--seeds: a seed is listed twice');
  return seeds;
}

/** "key=v1,v2": a dotted config path and its values (JSON where they parse, else strings). */
export function parseSet(text: string): { key: string; values: unknown[] } {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new SweepUsageError(`--set: expected key=v1,v2…, got '${text}'`);
  const key = text.slice(0, eq).trim();
  if (!/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(key))
    throw new SweepUsageError(`--set: '${key}' is not a dotted config path (e.g. optimizer.lr)`);
  if (['seed', 'optimizer.name'].includes(key)) throw new SweepUsageError(`--set ${key}: use --${key === 'seed' ? 'seeds' : 'optimizers'}`);
  const values = text
    .slice(eq + 1)
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0)
    .map((v) => {
      try {
        return JSON.parse(v) as unknown;
      } catch {
        return v;
      }
    });
  if (values.length === 0) throw new SweepUsageError(`--set ${key}: no values`);
  return { key, values };
}

type Json = Record<string, unknown>;

function setPath(obj: Json, key: string, value: unknown): Json {
  const [head, ...rest] = key.split('.');
  const out: Json = { ...obj };
  if (rest.length === 0) out[head] = value;
  else {
    const child = out[head];
    out[head] = setPath(typeof child === 'object' && child !== null && !Array.isArray(child) ? (child as Json) : {}, rest.join('.'), value);
  }
  return out;
}

function cartesian(sets: { key: string; values: unknown[] }[]): Record<string, unknown>[] {
  return sets.reduce<Record<string, unknown>[]>(
    (acc, { key, values }) => acc.flatMap((combo) => values.map((v) => ({ ...combo, [key]: v }))),
    [{}],
  );
}

const slug = (v: unknown) => String(typeof v === 'string' ? v : JSON.stringify(v)).replace(/[^A-Za-z0-9.-]+/g, '_');

/** Canonical JSON (sorted keys) for the run id hash. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Json)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export function expandSweep(
  raw: unknown,
  source: string,
  grid: { seeds: number[]; optimizers?: string[]; sets: { key: string; values: unknown[] }[] },
): SweepRun[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ConfigError(source, [{ field: '', message: 'must be a JSON object' }]);
  const keys = grid.sets.map((s) => s.key);
  if (new Set(keys).size !== keys.length) throw new SweepUsageError('--set: a key is set twice');
  const optimizers = grid.optimizers ?? [undefined];
  const runs: SweepRun[] = [];
  const seen = new Map<string, string>();
  for (const optimizer of optimizers) {
    for (const seed of grid.seeds) {
      for (const combo of cartesian(grid.sets)) {
        let value: Json = setPath(raw as Json, 'seed', seed);
        if (optimizer !== undefined) value = setPath(value, 'optimizer.name', optimizer);
        for (const [k, v] of Object.entries(combo)) value = setPath(value, k, v);
        const label = [optimizer, `s${seed}`, ...Object.entries(combo).map(([k, v]) => `${k}=${slug(v)}`)].filter(Boolean).join(',');
        const config = parseConfig(value, `${source} (${label})`);
        const hash = createHash('sha256').update(canonical(config)).digest('hex').slice(0, 10);
        const id = `${config.optimizer.name}-s${seed}${Object.entries(combo)
          .map(([k, v]) => `-${k}=${slug(v)}`)
          .join('')}-${hash}`;
        if (seen.has(hash)) throw new SweepUsageError(`runs ${seen.get(hash)} and ${id} have the same config`);
        seen.set(hash, id);
        runs.push({ id, config, params: { optimizer: config.optimizer.name, seed, ...combo } });
      }
    }
  }
  return runs;
}
