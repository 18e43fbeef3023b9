// The mean-z readout of classification costs: p̄ = mean over qubits of p(qᵢ = 0), so
// ⟨Z̄⟩ = 2p̄ − 1 = mean ⟨Zᵢ⟩ and every qubit's light cone reaches the output.
// With shots, each shot is one basis state drawn from the whole distribution (all qubits
// measured at once, correlations kept) and p̄ is the fraction of 0 bits among s·n bits.
import * as A from './abi.generated';
import { nextUnit } from './prng';
import { countEvaluation } from './run-state';
import * as S from './settings';
import { probabilityOf } from './statevector';

// Bits averaged by the readout: n for mean-z classification, else 1.
export function readoutBits(): i32 {
  return S.isClassification() && S.readout == A.READOUT_MEAN_Z ? S.qubits : 1;
}

function exactMeanZero(): f64 {
  const n = S.qubits;
  const dimension = 1 << n;
  let sum: f64 = 0;
  for (let i = 0; i < dimension; i++) sum += <f64>(n - <i32>popcnt<u32>(<u32>i)) * probabilityOf(i);
  return sum / <f64>n;
}

// Inverse-CDF draw of one basis state per shot (the last state takes any rounding remainder).
function sampledMeanZero(shots: u64): f64 {
  const n = S.qubits;
  const last = (1 << n) - 1;
  let zeros: u64 = 0;
  for (let s: u64 = 0; s < shots; s++) {
    const u = nextUnit();
    let i = 0;
    let cumulative = probabilityOf(0);
    while (cumulative <= u && i < last) cumulative += probabilityOf(++i);
    zeros += <u64>(n - <i32>popcnt<u32>(<u32>i));
  }
  return <f64>zeros / (<f64>shots * <f64>n);
}

// Like measure(): counted as one evaluation unless exact; shots = 0 gives the exact value.
export function measureMeanZero(exact: bool): f64 {
  if (exact) return exactMeanZero();
  countEvaluation();
  const shots = S.shotsPerEval;
  return shots == 0 ? exactMeanZero() : sampledMeanZero(shots);
}
