// Turns an exact probability into a measured one: the fraction of successes in one
// Bin(s, p) draw (runtime/binomial.ts), distributed exactly as s Bernoulli(p) shots.
import { binomial } from './binomial';
import { countEvaluation } from './run-state';
import * as S from './settings';

// Every circuit evaluation of a step or gradient() goes through here (and is counted);
// evaluate()/accuracy() pass exact = true and are neither sampled nor counted.
export function measure(p: f64, exact: bool): f64 {
  if (exact) return p;
  countEvaluation();
  const shots = S.shotsPerEval;
  if (shots == 0) return p;
  return <f64>binomial(shots, p) / <f64>shots;
}
