// What the optimizers share: propose's "evaluate the trial point first" answer, and
// θ_new = θ + factor · g into TRIAL (factor = −η for descent, +ρη for an NLR ascent).
import { GRAD, PARAMS, TRIAL, f64At, setF64At } from '../memory';
import { paramCount } from '../run-state';

export const PROPOSE_TRIAL: i32 = -1;

export function moveAlongGradient(factor: f64): void {
  for (let j = 0; j < paramCount; j++) {
    setF64At(TRIAL, j, f64At(PARAMS, j) + factor * f64At(GRAD, j));
  }
}
