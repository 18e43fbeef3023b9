// v ← μ v + g;  θ ← θ − η v  (v in MOMENT1)
import * as A from '../abi.generated';
import * as R from '../ranges.generated';
import { GRAD, MOMENT1, PARAMS, TRIAL, f64At, setF64At } from '../memory';
import { paramCount } from '../run-state';
import * as S from '../settings';

export function validate(): i32 {
  return R.invalidMomentum(S.configF64(A.OFF_MOMENTUM)) ? A.ERR_MOMENTUM : A.ERR_OK;
}

export function reset(): void {
  for (let j = 0; j < paramCount; j++) setF64At(MOMENT1, j, 0);
}

export function propose(): i32 {
  for (let j = 0; j < paramCount; j++) {
    const v = S.momentum * f64At(MOMENT1, j) + f64At(GRAD, j);
    setF64At(MOMENT1, j, v);
    setF64At(TRIAL, j, f64At(PARAMS, j) - S.lr * v);
  }
  return <i32>A.PHASE_POSITIVE;
}
