// m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  θ ← θ − η m̂ / (√v̂ + ε)  (m, v in MOMENT1, MOMENT2)
import * as A from '../abi.generated';
import * as R from '../ranges.generated';
import { GRAD, MOMENT1, MOMENT2, PARAMS, TRIAL, f64At, setF64At } from '../memory';
import { paramCount } from '../run-state';
import * as S from '../settings';

// β₁^t and β₂^t for the bias correction (running products: no pow needed).
let beta1Power: f64 = 1;
let beta2Power: f64 = 1;

export function validate(): i32 {
  if (R.invalidBeta1(S.configF64(A.OFF_BETA1))) return A.ERR_BETA1;
  if (R.invalidBeta2(S.configF64(A.OFF_BETA2))) return A.ERR_BETA2;
  if (R.invalidEps(S.configF64(A.OFF_EPS))) return A.ERR_EPS;
  return A.ERR_OK;
}

export function reset(): void {
  beta1Power = 1;
  beta2Power = 1;
  for (let j = 0; j < paramCount; j++) {
    setF64At(MOMENT1, j, 0);
    setF64At(MOMENT2, j, 0);
  }
}

export function propose(): i32 {
  beta1Power *= S.beta1;
  beta2Power *= S.beta2;
  const correction1 = 1 - beta1Power;
  const correction2 = 1 - beta2Power;
  for (let j = 0; j < paramCount; j++) {
    const g = f64At(GRAD, j);
    const m = S.beta1 * f64At(MOMENT1, j) + (1 - S.beta1) * g;
    const v = S.beta2 * f64At(MOMENT2, j) + (1 - S.beta2) * g * g;
    setF64At(MOMENT1, j, m);
    setF64At(MOMENT2, j, v);
    setF64At(TRIAL, j, f64At(PARAMS, j) - (S.lr * (m / correction1)) / (Math.sqrt(v / correction2) + S.eps));
  }
  return <i32>A.PHASE_POSITIVE;
}
