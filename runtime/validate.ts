// Checks the raw config struct and dataset; returns the first failing field's code.
// Fields a configuration does not use are not checked (docs/abi.md).
import {
  ABI_VERSION, DATASET_CAPACITY, MAX_FEATURES, MAX_LAYERS, MAX_PARAMS, MAX_QUBITS, MAX_SAMPLES,
  MAX_SHOTS_PER_EVAL,
} from './config';
import * as E from './errors';
import { DATASET } from './memory';
import * as S from './settings';

function positiveFinite(x: f64): bool {
  return x > 0 && isFinite<f64>(x);
}

function unitInterval(x: f64): bool {
  return x >= 0 && x < 1;
}

export function validateConfig(): i32 {
  if (S.configU32(S.OFF_ABI_VERSION) != ABI_VERSION) return E.ERR_ABI_VERSION;
  const qubits = S.configU32(S.OFF_QUBITS);
  if (qubits < 1 || qubits > <u32>MAX_QUBITS) return E.ERR_QUBITS;
  const layers = S.configU32(S.OFF_LAYERS);
  if (layers < 1 || layers > MAX_LAYERS) return E.ERR_LAYERS;
  const ansatz = S.configU32(S.OFF_ANSATZ);
  if (ansatz > S.ANSATZ_RXRY_CNOT) return E.ERR_ANSATZ;
  if (S.parameterCountFor(ansatz, layers, qubits) > <u32>MAX_PARAMS) return E.ERR_PARAMS;
  const cost = S.configU32(S.OFF_COST);
  if (cost > S.COST_CLASS_XENT) return E.ERR_COST;
  const optimizer = S.configU32(S.OFF_OPTIMIZER);
  if (optimizer > S.OPT_NLR) return E.ERR_OPTIMIZER;
  const gradient = S.configU32(S.OFF_GRADIENT);
  if (gradient > S.GRADIENT_SPSA) return E.ERR_GRADIENT;
  if (!positiveFinite(S.configF64(S.OFF_LR))) return E.ERR_LR;

  const code = validateOptimizer(optimizer);
  if (code != E.ERR_OK) return code;
  if ((gradient == S.GRADIENT_SPSA || optimizer == S.OPT_SPSA) && !positiveFinite(S.configF64(S.OFF_SPSA_C))) {
    return E.ERR_SPSA_C;
  }

  const shots = S.configU32(S.OFF_SHOTS_PER_EVAL);
  if (shots > MAX_SHOTS_PER_EVAL) return E.ERR_SHOTS_PER_EVAL;
  const budget = S.configU64(S.OFF_SHOT_BUDGET);
  if ((shots > 0) != (budget > 0)) return E.ERR_SHOT_BUDGET;

  if (cost == S.COST_CLASS_SQ || cost == S.COST_CLASS_XENT) {
    const datasetCode = validateDataset(qubits);
    if (datasetCode != E.ERR_OK) return datasetCode;
  }

  const paramInit = S.configU32(S.OFF_PARAM_INIT);
  if (paramInit > 1) return E.ERR_PARAM_INIT;
  if (paramInit == 0 && !positiveFinite(S.configF64(S.OFF_INIT_RANGE))) return E.ERR_INIT_RANGE;
  return E.ERR_OK;
}

function validateOptimizer(optimizer: u32): i32 {
  if (optimizer == S.OPT_MOMENTUM && !unitInterval(S.configF64(S.OFF_MOMENTUM))) return E.ERR_MOMENTUM;
  if (optimizer == S.OPT_ADAM) {
    if (!unitInterval(S.configF64(S.OFF_BETA1))) return E.ERR_BETA1;
    if (!unitInterval(S.configF64(S.OFF_BETA2))) return E.ERR_BETA2;
    if (!positiveFinite(S.configF64(S.OFF_EPS))) return E.ERR_EPS;
  }
  if (optimizer == S.OPT_NLR) {
    const mode = S.configU32(S.OFF_NLR_MODE);
    if (mode > S.NLR_PATIENCE) return E.ERR_NLR_MODE;
    if (!positiveFinite(S.configF64(S.OFF_NLR_RATIO))) return E.ERR_NLR_RATIO;
    if (mode == S.NLR_PERIODIC && S.configU32(S.OFF_NLR_PERIOD) < 2) return E.ERR_NLR_PERIOD;
    const prob = S.configF64(S.OFF_NLR_PROB);
    if (mode == S.NLR_STOCHASTIC && !(prob > 0 && prob <= 1)) return E.ERR_NLR_PROB;
    if (mode == S.NLR_PATIENCE && S.configU32(S.OFF_NLR_PATIENCE) < 1) return E.ERR_NLR_PATIENCE;
  }
  return E.ERR_OK;
}

function validateDataset(qubits: u32): i32 {
  const features = S.configU32(S.OFF_N_FEATURES);
  if (features < 1 || features > qubits || features > <u32>MAX_FEATURES) return E.ERR_N_FEATURES;
  const nTrain = <u64>S.configU32(S.OFF_N_TRAIN);
  const nTest = <u64>S.configU32(S.OFF_N_TEST);
  const samples = nTrain + nTest;
  if (samples > <u64>MAX_SAMPLES || samples * (<u64>features + 1) * 4 > <u64>DATASET_CAPACITY) {
    return E.ERR_DATASET;
  }
  const valueCount = <i32>samples * <i32>(features + 1);
  for (let i = 0; i < valueCount; i++) {
    if (!isFinite<f32>(load<f32>(DATASET + (<usize>i << 2)))) return E.ERR_DATASET;
  }
  if (nTrain == 0) return E.ERR_LABELS;
  const labels = DATASET + (<usize>(samples * <u64>features) << 2);
  for (let i = 0; i < <i32>samples; i++) {
    const y = load<f32>(labels + (<usize>i << 2));
    if (y != 1 && y != -1) return E.ERR_LABELS;
  }
  const batch = S.configU32(S.OFF_BATCH);
  if (<u64>batch > nTrain) return E.ERR_BATCH;
  return E.ERR_OK;
}
