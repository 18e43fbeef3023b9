// θ₀ by param_init (docs/abi.md), one PRNG stream per parameter in parameter order:
// uniform U[0, init_range); host: zeros until the host writes θ; gaussian N(0, init_range²);
// identity-block (Grant et al. 2019, as this layer structure allows; hea and hea-zy only):
// layers in pairs, RY angles 0 and each RZ angle a ~ U[0, init_range) of the first layer
// undone by −a in the second. Then the pair is CZ·RZ(−a)·CZ·RZ(a) = 1 (RZ and CZ commute),
// so without re-uploading every pair is exactly the identity; an odd last layer is all zeros.
import * as A from './abi.generated';
import { PARAMS, setF64At } from './memory';
import { nextGaussian, nextUnit } from './prng';
import * as S from './settings';

function isRzGate(inLayer: i32): bool {
  const odd = (inLayer & 1) == 1;
  return S.ansatz == A.ANSATZ_HEA ? odd : !odd;
}

function identityBlocks(count: i32): void {
  const perLayer = 2 * S.qubits;
  for (let j = 0; j < count; j++) {
    const layer = j / perLayer;
    const inLayer = j % perLayer;
    let theta: f64 = 0;
    if (isRzGate(inLayer) && layer + 1 < S.layers && (layer & 1) == 0) theta = nextUnit() * S.initRange;
    setF64At(PARAMS, j, theta);
  }
  for (let j = perLayer; j < count; j++) {
    if ((j / perLayer) & 1) setF64At(PARAMS, j, 0 - load<f64>(PARAMS + ((<usize>(j - perLayer)) << 3)));
  }
}

export function drawInitialParams(count: i32): void {
  if (S.paramInit == A.PARAM_INIT_IDENTITY_BLOCK) {
    identityBlocks(count);
    return;
  }
  for (let j = 0; j < count; j++) {
    let theta: f64 = 0;
    if (S.paramInit == A.PARAM_INIT_UNIFORM) theta = nextUnit() * S.initRange;
    else if (S.paramInit == A.PARAM_INIT_GAUSSIAN) theta = nextGaussian() * S.initRange;
    setF64At(PARAMS, j, theta);
  }
}
