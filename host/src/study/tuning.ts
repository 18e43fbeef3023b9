// Equal tuning budget for every method: random search over the method's space (η and its
// own hyperparameters, e.g. NLR's ρ, k, p, m), the same number of configurations for each,
// scored by the mean final exact training loss over the tuning seeds. When the chosen η
// lies in the outer tenth of its log-range, that side is widened by a decade and the
// search is repeated with fresh configurations (up to maxWidenings rounds).
import { seededRandom } from '../stats/random.ts';
import { LR_RANGE, METHOD_SPACES, type Dimension, type Hyper, type MethodName } from './design.ts';

export interface Trial {
  hyper: Hyper;
  round: number;
  /** Final exact training loss per tuning seed. */
  losses: number[];
  score: number;
}

export interface Tuning {
  method: MethodName;
  lrRange: [number, number];
  trials: Trial[];
  chosen: Trial;
  /** 'low' / 'high' when the chosen η still sits in an outer tenth after the last widening. */
  edge: 'low' | 'high' | null;
}

function draw(dim: Dimension, u: number): number {
  if (dim.kind === 'int') return Math.min(dim.high, dim.low + Math.floor(u * (dim.high - dim.low + 1)));
  return Math.exp(Math.log(dim.low) + u * (Math.log(dim.high) - Math.log(dim.low)));
}

/** Seeded draws: the same (method, round, index) always gives the same configuration. */
export function drawConfigs(method: MethodName, lr: Dimension, count: number, seed: number): Hyper[] {
  const rng = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const hyper: Hyper = { lr: draw(lr, rng.float()) };
    for (const [name, dim] of Object.entries(METHOD_SPACES[method])) hyper[name] = draw(dim, rng.float());
    return hyper;
  });
}

export function edgeOf(lr: number, range: Dimension): 'low' | 'high' | null {
  const position = (Math.log(lr) - Math.log(range.low)) / (Math.log(range.high) - Math.log(range.low));
  return position < 0.1 ? 'low' : position > 0.9 ? 'high' : null;
}

export type Evaluate = (method: MethodName, configs: Hyper[]) => Promise<number[][]>;

export async function tuneMethod(
  method: MethodName,
  configsPerMethod: number,
  maxWidenings: number,
  seedBase: number,
  evaluate: Evaluate,
): Promise<Tuning> {
  const range: Dimension = { ...LR_RANGE };
  const trials: Trial[] = [];
  for (let round = 0; ; round++) {
    const configs = drawConfigs(method, range, configsPerMethod, seedBase + round);
    const losses = await evaluate(method, configs);
    configs.forEach((hyper, i) => {
      const finite = losses[i].every(Number.isFinite);
      const score = finite ? losses[i].reduce((a, b) => a + b, 0) / losses[i].length : Infinity;
      trials.push({ hyper, round, losses: losses[i], score });
    });
    const chosen = trials.reduce((best, t) => (t.score < best.score ? t : best));
    const edge = edgeOf(chosen.hyper.lr, range);
    if (edge === null || round >= maxWidenings) {
      return { method, lrRange: [range.low, range.high], trials, chosen, edge };
    }
    if (edge === 'low') range.low /= 10;
    else range.high *= 10;
  }
}
