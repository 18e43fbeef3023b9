// Perturbed gradient descent with noise matched to NLR (docs/config.md "Matched
// perturbation"): σ such that N(0, σ²) added to each of the P parameters on each of the T
// steps injects, in expectation, the squared displacement NLR's ascent steps made:
// σ² = Σ‖Δθ‖² over the ascent ('-') steps / (P · T). From the step records of an NLR run
// (its log, or the study's pilot run): the same numbers in the same order, so the same σ.
import { parameterCount } from '../config/cross-rules.ts';
import { QiotError } from '../errors.ts';
import type { RunLog } from '../runlog/reader.ts';
import type { StepRecord } from '../runlog/schema.ts';

export function matchedSigmaOfSteps(steps: readonly StepRecord[], paramCount: number): number {
  let ascent = 0;
  for (const s of steps) if (s.phase === '-') ascent += (s.step_norm ?? NaN) ** 2;
  return steps.length === 0 ? 0 : Math.sqrt(ascent / (paramCount * steps.length));
}

export interface MatchedPerturb {
  sigma: number;
  /** The NLR log it came from, its steps and ascent steps. */
  log: string;
  steps: number;
  ascent_steps: number;
}

/** σ matched to the NLR run logged at `path`; an unusable log is an 'invalid' error naming it. */
export function matchedPerturbOfLog(path: string, log: RunLog): MatchedPerturb {
  const fail = (why: string) => new QiotError(`--match-perturb ${path}: ${why}`, 'invalid');
  const cfg = log.header.config;
  if (cfg.optimizer.name !== 'nlr') throw fail(`it is a run of '${cfg.optimizer.name}', not of NLR`);
  if (cfg.schedule) throw fail(`it ran a ${cfg.schedule.kind} schedule; match to a plain NLR run`);
  const ascent = log.steps.filter((s) => s.phase === '-').length;
  if (ascent === 0) throw fail(`its ${log.steps.length} steps include no ascent step: there is nothing to match`);
  const sigma = matchedSigmaOfSteps(log.steps, parameterCount(cfg));
  if (!Number.isFinite(sigma)) throw fail('an ascent step has no finite step norm');
  return { sigma, log: path, steps: log.steps.length, ascent_steps: ascent };
}
