// Barren plateaus at real depth, part 2: escape rate vs n for every method of the study
// (NLR variants, SGD, Momentum, Adam, SPSA and the mitigations) on hea circuits at the
// 2-design depth found by the scan (deep-plateau.ts), local cost C = 1 − p(q₀ = 0) from a
// uniform random θ₀ (C ≈ 1/2 there). A run escapes when its final exact cost is ≤
// `threshold`. Exact mode: adjoint gradients, a step budget; shots mode: parameter-shift
// (SPSA: two evaluations) with a shot budget equal to `steps` parameter-shift steps.
// Hyperparameters: the study's random search with one budget per method (study/tuning.ts),
// run once per mode at the tuning size and kept for every n.
import { parseConfig } from '../config/load.ts';
import type { RunConfig } from '../config/schema.ts';
import { median } from '../stats/descriptive.ts';
import { holmAdjust } from '../stats/holm.ts';
import { pairedWilcoxon } from '../stats/wilcoxon.ts';
import { isNlr, methodPatch, type Hyper, type MethodName } from './design.ts';
import type { ConfiguredRun, RunMetrics } from './methods.ts';
import { tuneMethod, type Tuning } from './tuning.ts';
import { PARAMS_PER_QUBIT_LAYER } from '../wasm/abi.ts';
import type { ModuleBuild } from '../wasm/builds.ts';
import { limitsOfBuild } from '../config/limits.ts';

export type EscapeMode = 'exact' | 'shots';

export interface EscapeSetting {
  mode: EscapeMode;
  /** Qubit counts and their hea depths (from the scan). */
  sizes: { qubits: number; layers: number }[];
  /** The size the methods are tuned at. */
  tuneQubits: number;
}

export interface EscapeOptions {
  build: ModuleBuild;
  settings: EscapeSetting[];
  methods: MethodName[];
  steps: number;
  shotsPerEval: number;
  threshold: number;
  configsPerMethod: number;
  maxWidenings: number;
  tuningSeeds: number[];
  evaluationSeeds: number[];
}

export interface EscapeRun {
  mode: EscapeMode;
  qubits: number;
  layers: number;
  method: MethodName;
  seed: number;
  initialCost: number;
  finalCost: number;
  escaped: boolean;
  steps: number;
  shots: number;
  matchedSigma?: number;
}

export function escapeConfig(
  mode: EscapeMode,
  n: number,
  layers: number,
  method: MethodName,
  hyper: Hyper,
  seed: number,
  o: Pick<EscapeOptions, 'build' | 'steps' | 'shotsPerEval'>,
): ConfiguredRun {
  const params = PARAMS_PER_QUBIT_LAYER.hea * n * layers;
  // A parameter-shift step costs 2P + 1 evaluations (shifts and the loss), SPSA's 3: the same
  // shots buy ≈ (2P + 1)/3 times more SPSA steps.
  const shots = mode === 'shots' ? o.steps * (2 * params + 1) * o.shotsPerEval : 0;
  const cfg: RunConfig = parseConfig(
    {
      qubits: n,
      layers,
      ansatz: 'hea',
      cost: 'local',
      seed,
      init_range: 2 * Math.PI,
      steps: 0,
      ...methodPatch(method, hyper),
      shots: { per_eval: mode === 'shots' ? o.shotsPerEval : 0, budget: shots },
    },
    `deep-escape ${mode} n=${n} ${method} seed=${seed}`,
    limitsOfBuild(o.build),
  );
  const steps = mode === 'exact' ? o.steps : method === 'spsa' ? o.steps * (2 * params + 1) : o.steps;
  return { cfg, method, hyper, build: o.build, budget: { shots, steps } };
}

export type RunMany = (runs: ConfiguredRun[]) => Promise<RunMetrics[]>;

export interface EscapeResult {
  tunings: { mode: EscapeMode; tuneQubits: number; tunings: Tuning[] }[];
  runs: EscapeRun[];
}

/** The methods whose hyperparameters are not tuned on their own: perturbed-matched takes periodic NLR's. */
const borrowed = (m: MethodName): MethodName | null => (m === 'perturbed-matched' ? 'nlr-periodic' : null);

export async function runEscape(
  opts: EscapeOptions,
  run: RunMany,
  onProgress?: (label: string, done: number, total: number) => void,
): Promise<EscapeResult> {
  const tunings: EscapeResult['tunings'] = [];
  const runs: EscapeRun[] = [];
  for (const setting of opts.settings) {
    const tuneSize = setting.sizes.find((s) => s.qubits === setting.tuneQubits);
    if (!tuneSize) throw new RangeError(`deep-escape: tuning size n = ${setting.tuneQubits} is not among the ${setting.mode} sizes`);
    const own = opts.methods.filter((m) => borrowed(m) === null);
    const needed = [...new Set([...own, ...opts.methods.map(borrowed).filter((m): m is MethodName => m !== null)])];
    const tuned = await Promise.all(
      needed.map((method, i) =>
        tuneMethod(method, opts.configsPerMethod, opts.maxWidenings, 500 + 100 * i, async (name, configs) => {
          const tasks = configs.flatMap((hyper) =>
            opts.tuningSeeds.map((seed) => escapeConfig(setting.mode, tuneSize.qubits, tuneSize.layers, name, hyper, seed, opts)),
          );
          const metrics = await run(tasks);
          return configs.map((_, c) =>
            metrics.slice(c * opts.tuningSeeds.length, (c + 1) * opts.tuningSeeds.length).map((r) => r.trainLoss),
          );
        }),
      ),
    );
    tunings.push({ mode: setting.mode, tuneQubits: setting.tuneQubits, tunings: tuned });
    const hyperOf = (m: MethodName) => tuned.find((t) => t.method === (borrowed(m) ?? m))!.chosen.hyper;
    for (const { qubits, layers } of setting.sizes) {
      const tasks = opts.methods.flatMap((method) =>
        opts.evaluationSeeds.map((seed) => ({
          method,
          seed,
          run: escapeConfig(setting.mode, qubits, layers, method, hyperOf(method), seed, opts),
        })),
      );
      onProgress?.(`${setting.mode} n=${qubits}`, 0, tasks.length);
      const metrics = await run(tasks.map((t) => t.run));
      metrics.forEach((m, i) => {
        runs.push({
          mode: setting.mode,
          qubits,
          layers,
          method: tasks[i].method,
          seed: tasks[i].seed,
          initialCost: m.initialLoss,
          finalCost: m.trainLoss,
          escaped: m.trainLoss <= opts.threshold,
          steps: m.steps,
          shots: m.shots,
          ...(m.matchedSigma !== undefined ? { matchedSigma: m.matchedSigma } : {}),
        });
      });
      onProgress?.(`${setting.mode} n=${qubits}`, tasks.length, tasks.length);
    }
  }
  return { tunings, runs };
}

/** Wilson score interval of a proportion (95 %: z = 1.96). */
export function wilson(successes: number, trials: number, z = 1.959964): { rate: number; low: number; high: number } {
  if (trials === 0) return { rate: Number.NaN, low: 0, high: 1 };
  const p = successes / trials;
  const denom = 1 + (z * z) / trials;
  const centre = (p + (z * z) / (2 * trials)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + (z * z) / (4 * trials * trials))) / denom;
  return { rate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export interface EscapeRate {
  mode: EscapeMode;
  qubits: number;
  method: MethodName;
  escaped: number;
  runs: number;
  rate: { rate: number; low: number; high: number };
  medianFinalCost: number;
  medianInitialCost: number;
}

export function escapeRates(runs: readonly EscapeRun[]): EscapeRate[] {
  const keys = [...new Set(runs.map((r) => `${r.mode}|${r.qubits}|${r.method}`))];
  return keys.map((k) => {
    const own = runs.filter((r) => `${r.mode}|${r.qubits}|${r.method}` === k);
    const escaped = own.filter((r) => r.escaped).length;
    return {
      mode: own[0].mode,
      qubits: own[0].qubits,
      method: own[0].method,
      escaped,
      runs: own.length,
      rate: wilson(escaped, own.length),
      medianFinalCost: median(own.map((r) => r.finalCost)),
      medianInitialCost: median(own.map((r) => r.initialCost)),
    };
  });
}

export interface EscapeComparison {
  mode: EscapeMode;
  qubits: number;
  nlr: MethodName;
  other: MethodName;
  /** Seeds where NLR's final cost is lower / higher. */
  wins: number;
  losses: number;
  p: number;
  /** Holm over every comparison of the mode. */
  pHolm: number;
}

/** Every NLR variant against every other method, paired by seed on the final exact cost. */
export function compareEscape(runs: readonly EscapeRun[]): EscapeComparison[] {
  const out: EscapeComparison[] = [];
  for (const mode of [...new Set(runs.map((r) => r.mode))]) {
    const family: Omit<EscapeComparison, 'pHolm'>[] = [];
    const own = runs.filter((r) => r.mode === mode);
    const methods = [...new Set(own.map((r) => r.method))];
    for (const n of [...new Set(own.map((r) => r.qubits))]) {
      const cost = (m: MethodName) => new Map(own.filter((r) => r.qubits === n && r.method === m).map((r) => [r.seed, r.finalCost]));
      for (const nlr of methods.filter(isNlr)) {
        for (const other of methods.filter((m) => !isNlr(m))) {
          const a = cost(nlr);
          const b = cost(other);
          const seeds = [...a.keys()].filter((s) => b.has(s) && Number.isFinite(a.get(s)) && Number.isFinite(b.get(s)));
          if (seeds.length < 2) continue;
          const x = seeds.map((s) => a.get(s)!);
          const y = seeds.map((s) => b.get(s)!);
          family.push({
            mode,
            qubits: n,
            nlr,
            other,
            wins: x.filter((v, i) => v < y[i]).length,
            losses: x.filter((v, i) => v > y[i]).length,
            p: pairedWilcoxon(x, y).p,
          });
        }
      }
    }
    const adjusted = holmAdjust(family.map((c) => c.p));
    family.forEach((c, i) => {
      out.push({ ...c, pHolm: adjusted[i] });
    });
  }
  return out;
}
