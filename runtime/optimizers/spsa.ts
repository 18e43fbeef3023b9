// θ ← θ − a_k g with Spall's decaying gain (its gradient is forced to SPSA by the ABI).
import * as A from '../abi.generated';
import { SPSA_ALPHA } from '../config';
import * as S from '../settings';
import { moveAlongGradient } from './descent';

// a_k = η / (k + 1)^0.602, the power taken as exp(0.602 · ln(k + 1)) (no table-driven pow)
export function gain(k: u32): f64 {
  return S.lr / Math.exp(SPSA_ALPHA * Math.log(<f64>k + 1));
}

export function propose(k: u32): i32 {
  moveAlongGradient(-gain(k));
  return <i32>A.PHASE_POSITIVE;
}
