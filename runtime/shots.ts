// Turns an exact probability into a measured one: the fraction of s Bernoulli(p) draws.
import { nextUnit } from './prng';
import { countEvaluation } from './run-state';
import * as S from './settings';

// Every circuit evaluation of a step or gradient() goes through here (and is counted);
// evaluate()/accuracy() pass exact = true and are neither sampled nor counted.
export function measure(p: f64, exact: bool): f64 {
  if (exact) return p;
  countEvaluation();
  const shots = S.shotsPerEval;
  if (shots == 0) return p;
  let hits: u64 = 0;
  for (let s: u64 = 0; s < shots; s++) {
    if (nextUnit() < p) hits++;
  }
  return <f64>hits / <f64>shots;
}
