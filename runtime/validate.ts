// Checks the raw config struct and dataset; returns the first failing field's code.
// Fields a configuration does not use are not checked (docs/abi.md). Each field's range is
// the description's (R, generated); what is written here is when a field is checked and the
// rules that relate fields.
import * as A from './abi.generated';
import { ABI_VERSION, DATASET_CAPACITY, MAX_FEATURES, MAX_PARAMS, MAX_SAMPLES } from './config';
import * as R from './ranges.generated';
import { DATASET } from './memory';
import * as optimizer from './optimizer';
import * as S from './settings';

export function validateConfig(): i32 {
  if (S.configU32(A.OFF_ABI_VERSION) != ABI_VERSION) return A.ERR_ABI_VERSION;
  const qubits = S.configU32(A.OFF_QUBITS);
  if (R.invalidQubits(qubits)) return A.ERR_QUBITS;
  const layers = S.configU32(A.OFF_LAYERS);
  if (R.invalidLayers(layers)) return A.ERR_LAYERS;
  const ansatz = S.configU32(A.OFF_ANSATZ);
  if (R.invalidAnsatz(ansatz)) return A.ERR_ANSATZ;
  const params = S.parameterCountFor(ansatz, layers, qubits);
  if (params > <u32>MAX_PARAMS) return A.ERR_PARAMS;
  if (R.invalidReadout(S.configU32(A.OFF_READOUT))) return A.ERR_READOUT;
  if (R.invalidReupload(S.configU32(A.OFF_REUPLOAD))) return A.ERR_REUPLOAD;
  if (S.configU32(A.OFF_TRAIN_FROM) >= params) return A.ERR_TRAIN_FROM;
  if (R.invalidPerturb(S.configF64(A.OFF_PERTURB))) return A.ERR_PERTURB;
  if (R.invalidGradFloor(S.configF64(A.OFF_GRAD_FLOOR))) return A.ERR_GRAD_FLOOR;
  const cost = S.configU32(A.OFF_COST);
  if (R.invalidCost(cost)) return A.ERR_COST;
  const kind = S.configU32(A.OFF_OPTIMIZER);
  if (R.invalidOptimizer(kind)) return A.ERR_OPTIMIZER;
  const gradient = S.configU32(A.OFF_GRADIENT);
  if (R.invalidGradient(gradient)) return A.ERR_GRADIENT;
  const adjoint = A.effectiveGradient(kind, gradient) == A.GRADIENT_ADJOINT;
  if (adjoint && S.configU32(A.OFF_SHOTS_PER_EVAL) > 0) return A.ERR_GRADIENT;
  if (R.invalidLr(S.configF64(A.OFF_LR))) return A.ERR_LR;

  const code = optimizer.validate(kind);
  if (code != A.ERR_OK) return code;
  if (A.effectiveGradient(kind, gradient) == A.GRADIENT_SPSA && R.invalidSpsaC(S.configF64(A.OFF_SPSA_C))) {
    return A.ERR_SPSA_C;
  }

  const shots = S.configU32(A.OFF_SHOTS_PER_EVAL);
  if (R.invalidShotsPerEval(shots)) return A.ERR_SHOTS_PER_EVAL;
  const budget = S.configU64(A.OFF_SHOT_BUDGET);
  if (shots > 0 != budget > 0) return A.ERR_SHOT_BUDGET;

  if (A.isClassificationCost(cost)) {
    const datasetCode = validateDataset(qubits);
    if (datasetCode != A.ERR_OK) return datasetCode;
  }

  const paramInit = S.configU32(A.OFF_PARAM_INIT);
  if (R.invalidParamInit(paramInit)) return A.ERR_PARAM_INIT;
  if (paramInit == A.PARAM_INIT_IDENTITY_BLOCK && ansatz != A.ANSATZ_HEA && ansatz != A.ANSATZ_HEA_ZY) return A.ERR_PARAM_INIT;
  if (paramInit != A.PARAM_INIT_HOST && R.invalidInitRange(S.configF64(A.OFF_INIT_RANGE))) return A.ERR_INIT_RANGE;
  return A.ERR_OK;
}

function validateDataset(qubits: u32): i32 {
  const features = S.configU32(A.OFF_N_FEATURES);
  if (features < 1 || features > qubits || features > <u32>MAX_FEATURES) return A.ERR_N_FEATURES;
  const nTrain = <u64>S.configU32(A.OFF_N_TRAIN);
  const nTest = <u64>S.configU32(A.OFF_N_TEST);
  const samples = nTrain + nTest;
  if (samples > <u64>MAX_SAMPLES || samples * (<u64>features + 1) * 4 > <u64>DATASET_CAPACITY) {
    return A.ERR_DATASET;
  }
  const valueCount = <i32>samples * <i32>(features + 1);
  for (let i = 0; i < valueCount; i++) {
    if (!isFinite<f32>(load<f32>(DATASET + ((<usize>i) << 2)))) return A.ERR_DATASET;
  }
  if (nTrain == 0) return A.ERR_LABELS;
  const labels = DATASET + ((<usize>(samples * <u64>features)) << 2);
  for (let i = 0; i < <i32>samples; i++) {
    const y = load<f32>(labels + ((<usize>i) << 2));
    if (y != 1 && y != -1) return A.ERR_LABELS;
  }
  const batch = S.configU32(A.OFF_BATCH);
  if (<u64>batch > nTrain) return A.ERR_BATCH;
  return A.ERR_OK;
}
