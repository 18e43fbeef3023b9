// Perturbed descent (any optimizer, after its update): adds ξⱼ ~ N(0, perturb²) to every
// trainable θⱼ of TRIAL.
import { TRIAL, f64At, setF64At } from '../memory';
import { nextGaussian } from '../prng';
import { paramCount } from '../run-state';
import * as S from '../settings';

export function addPerturbation(): void {
  if (S.perturb <= 0) return;
  for (let j = S.trainFrom; j < paramCount; j++) setF64At(TRIAL, j, f64At(TRIAL, j) + S.perturb * nextGaussian());
}
