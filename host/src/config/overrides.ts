// Command-line overrides of config fields (`--steps`, `--seed`, `--optimizer`, `--lr`,
// `--budget`, `--match-perturb`).
// They are merged into the raw JSON before validation, so a bad override gets
// the same field-naming message as a bad file.

export interface ConfigOverrides {
  steps?: number;
  seed?: number;
  optimizer?: string;
  lr?: number;
  /** shots.budget (sampled configs). */
  budget?: number;
  /** optimizer.perturb (`--match-perturb`: σ matched to an NLR run log). */
  perturb?: number;
}

type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export function applyOverrides(raw: unknown, overrides: ConfigOverrides): unknown {
  if (!isObject(raw)) return raw;
  const out: JsonObject = { ...raw };
  if (overrides.steps !== undefined) out.steps = overrides.steps;
  if (overrides.seed !== undefined) out.seed = overrides.seed;
  if (overrides.budget !== undefined) out.shots = { ...(isObject(raw.shots) ? raw.shots : {}), budget: overrides.budget };
  if (overrides.optimizer !== undefined || overrides.lr !== undefined || overrides.perturb !== undefined) {
    const optimizer: JsonObject = isObject(raw.optimizer) ? { ...raw.optimizer } : {};
    if (overrides.optimizer !== undefined) optimizer.name = overrides.optimizer;
    if (overrides.lr !== undefined) optimizer.lr = overrides.lr;
    if (overrides.perturb !== undefined) optimizer.perturb = overrides.perturb;
    out.optimizer = optimizer;
  }
  return out;
}
