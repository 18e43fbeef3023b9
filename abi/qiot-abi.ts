// The module ABI of build/qiot.wasm: the one description every host and the runtime derive from.
// Data only. abi/generate.ts (run by `make runtime`, or `make abi`) turns it into the
// AssemblyScript constants (runtime/abi.generated.ts), the host's TypeScript tables and codecs
// (host/src/wasm/abi.generated.ts), the C header (firmware/core/qiot_abi.h) and the tables of
// docs/abi.md. Adding a config field, an enum value or an error code is an edit here only
// (docs/architecture.md "Changing the ABI"); offsets are computed, never written.

export const ABI_VERSION = 1;

export type ScalarType = 'u32' | 'u64' | 'f64';

const MAX_QUBITS = 10;
const MAX_SAMPLES = 256;
const MAX_FEATURES = MAX_QUBITS;

/** Compile-time capacities and sizes, each with the reason for its value. */
export const CAPACITIES = {
  MAX_QUBITS: {
    value: MAX_QUBITS,
    doc: '2^10 complex f32 amplitudes = 8 KiB: the statevector shares one 64 KiB page with the dataset and optimizer state',
  },
  MAX_PARAMS: { value: 256, doc: 'one f64 per parameter in six buffers (θ, gradient, trial, SPSA Δ, two moments): 12 KiB' },
  MAX_SAMPLES: { value: MAX_SAMPLES, doc: 'samples for training + test; the dataset region is sized from it' },
  MAX_FEATURES: { value: MAX_FEATURES, doc: 'angle encoding puts one feature on each qubit (= MAX_QUBITS)' },
  MAX_LAYERS: { value: 64, doc: 'circuit depth bound; with P ≤ MAX_PARAMS the parameter limit bites first for wide circuits' },
  MAX_SHOTS_PER_EVAL: { value: 1_000_000, doc: "each shot is one PRNG draw: bounds one evaluation's time on a microcontroller" },
  CONFIG_SIZE: { value: 192, doc: 'bytes of the config struct; fields are laid out in order, the rest is reserved (zero)' },
  TELEMETRY_SIZE: { value: 64, doc: 'bytes of the telemetry record written by step()' },
  MESSAGE_CAPACITY: { value: 128, doc: 'bytes error_message() may write; every error text is shorter' },
  DATASET_CAPACITY: {
    value: MAX_SAMPLES * (MAX_FEATURES + 1) * 4,
    doc: 'f32 features[MAX_SAMPLES][MAX_FEATURES] followed by f32 labels[MAX_SAMPLES]',
  },
} as const;

const C = CAPACITIES;

/**
 * The host build's capacities (build/qiot-host.wasm, runtime/build-flags.ts QIOT_HOST=1: Node only,
 * memory sized to fit); the device builds use CAPACITIES. Emitted as HOST_<name>.
 */
export const HOST_BUILD_CAPACITIES = {
  MAX_QUBITS: { value: 20, doc: 'host build: 2^20 complex f32 amplitudes = 8 MiB per state buffer (two buffers)' },
  MAX_PARAMS: { value: 4096, doc: 'host build: six f64 buffers of 4 096 parameters (192 KiB)' },
  MAX_FEATURES: { value: 20, doc: 'host build: one feature per qubit' },
  MAX_LAYERS: {
    value: 4096,
    doc: 'host build: any depth whose parameters fit (McClean circuits reach 2-design depth at ≈ 12n layers, docs/results section 3b)',
  },
} as const;

const H = HOST_BUILD_CAPACITIES;

export interface EnumMember {
  name: string;
  doc: string;
}

/** Enumerations: a member's code is its index. Extra per-member properties are the rules derived from them. */
export const ENUMS = {
  ansatz: {
    doc: 'circuit family (docs/abi.md "Circuits")',
    members: [
      { name: 'hea', doc: 'RY, RZ per qubit then a CZ ladder', paramsPerQubitLayer: 2 },
      { name: 'mcclean', doc: 'RY(π/4), then one seeded RX/RY/RZ per qubit and a CZ ladder', paramsPerQubitLayer: 1 },
      { name: 'rxry-cnot', doc: 'RX, RY per qubit then a CNOT ladder', paramsPerQubitLayer: 2 },
      { name: 'hea-zy', doc: 'RZ, RY per qubit then a CZ ladder (no parameter commutes with a Z readout)', paramsPerQubitLayer: 2 },
    ],
  },
  cost: {
    doc: 'loss of one circuit as a function of its measured probability',
    members: [
      { name: 'local', doc: '1 − p(qubit 0 = 0)', classification: false },
      { name: 'global', doc: '1 − p(0…0)', classification: false },
      { name: 'class-sq', doc: '(⟨Z₀⟩ − y)²', classification: true },
      { name: 'class-xent', doc: 'cross-entropy of p₊ = (1 + ⟨Z₀⟩)/2', classification: true },
    ],
  },
  optimizer: {
    doc: 'update rule',
    members: [
      { name: 'sgd', doc: 'θ ← θ − ηg' },
      { name: 'momentum', doc: 'heavy-ball momentum' },
      { name: 'adam', doc: 'Adam with bias correction' },
      { name: 'spsa', doc: 'SPSA with decaying gain', forcesGradient: 'spsa' },
      { name: 'nlr', doc: 'negative learning rate (docs/nlr.md)' },
    ],
  },
  gradient: {
    doc: 'gradient estimator',
    members: [
      { name: 'parameter-shift', doc: 'exact two-term shift rule, 2P evaluations per sample' },
      { name: 'spsa', doc: 'simultaneous perturbation, 2 evaluations per sample' },
      {
        name: 'adjoint',
        doc: 'exact mode only (shots_per_eval = 0): one forward run and one backward sweep per sample, counted as 1 evaluation',
      },
    ],
  },
  nlr_mode: {
    doc: 'when NLR takes a negative (ascent) step',
    members: [
      { name: 'gated', doc: 'when the trial descent does not lower the loss' },
      { name: 'periodic', doc: 'every nlr_period-th step' },
      { name: 'stochastic', doc: 'with probability nlr_prob' },
      { name: 'patience', doc: 'after nlr_patience non-improving steps' },
    ],
  },
  readout: {
    doc: 'observable of the classification costs',
    members: [
      { name: 'z0', doc: '⟨Z₀⟩: p = p(qubit 0 = 0)' },
      { name: 'mean-z', doc: 'mean of ⟨Zᵢ⟩ over all qubits: p = mean of p(qubit i = 0)' },
    ],
  },
  param_init: {
    doc: 'how init() sets θ₀',
    members: [
      { name: 'uniform', doc: 'θⱼ ~ U[0, init_range)' },
      { name: 'host', doc: 'zeros; the host writes θ after `init`' },
      { name: 'gaussian', doc: 'θⱼ ~ N(0, init_range²)' },
      { name: 'identity-block', doc: 'layer pairs that multiply to the identity (hea, hea-zy only)' },
    ],
  },
  phase: {
    doc: 'telemetry phase of a step',
    members: [
      { name: 'positive', doc: 'descent' },
      { name: 'negative', doc: 'ascent' },
    ],
  },
  split: {
    doc: 'dataset split of evaluate() and accuracy()',
    members: [
      { name: 'train', doc: 'samples 0 … n_train−1' },
      { name: 'test', doc: 'samples n_train … n_train+n_test−1' },
    ],
  },
  gate: {
    doc: 'gate codes of the diagnostic export sv_apply',
    members: [
      { name: 'RX', doc: 'RX(angle) on q0' },
      { name: 'RY', doc: 'RY(angle) on q0' },
      { name: 'RZ', doc: 'RZ(angle) on q0' },
      { name: 'H', doc: 'Hadamard on q0' },
      { name: 'CZ', doc: 'CZ(q0, q1)' },
      { name: 'CNOT', doc: 'CNOT(control q0, target q1)' },
    ],
  },
} as const;

export type EnumName = keyof typeof ENUMS;

/** How a config field appears in the JSON run config (host/src/config): its dotted path, default and check. */
export interface JsonField {
  /** Dotted path in the JSON config, e.g. `optimizer.nlr.ratio`; the last segment is the key. */
  path: string;
  /** Default when the key is absent (an enum member's name for enum fields); none: the key is
   * optional and host/src/config/encode.ts derives the struct field. */
  default?: number | string;
  /**
   * Value check of a number field: an integer range (a bound may name a capacity of the host's
   * Limits, e.g. 'maxQubits', which differs between the device and host builds), > 0, [0, 1), (0, 1].
   */
  check?: { int: [min: number | string, max: number | string] } | 'positive' | 'nonnegative' | 'unit' | 'probability';
  /** Shown in the schema's doc comment. */
  doc?: string;
}

export interface ConfigField {
  /** snake_case, as in docs/abi.md; camelCase in the host's AbiConfig. */
  name: string;
  type: ScalarType;
  /** The enumeration the field holds a code of. */
  enum?: EnumName;
  /** Valid values (docs/abi.md "values" column; the enum's codes are listed before it). */
  doc: string;
  /** The value of DEFAULT_ABI_CONFIG (a valid baseline). */
  default: number;
  /** The init error that refuses a bad value, when not the one of the field's own name (null: any value is valid). */
  error?: string | null;
  /** Set by the JSON run config directly (fields without it are derived by host/src/config/encode.ts). */
  json?: JsonField;
  /**
   * How init() copies it into the module's settings (runtime/settings.generated.ts, `S.<camelName>`):
   * by default as its struct type; 'i32' for counts used as loop bounds, 'u64' to widen for
   * arithmetic; false when runtime/settings.ts derives it (or nothing reads it after validation).
   */
  copy?: false | 'i32' | 'u64';
}

/** The config struct at config_ptr, in layout order: each field at the next offset aligned to its size. */
export const CONFIG_FIELDS: readonly ConfigField[] = [
  { name: 'abi_version', type: 'u32', copy: false, doc: `must equal ${ABI_VERSION}`, default: ABI_VERSION },
  {
    name: 'qubits',
    type: 'u32',
    copy: 'i32',
    doc: '1 … `max_qubits`',
    default: 2,
    json: { path: 'qubits', default: 4, check: { int: [1, 'maxQubits'] } },
  },
  {
    name: 'layers',
    type: 'u32',
    copy: 'i32',
    doc: `1 … ${C.MAX_LAYERS.value}`,
    default: 1,
    json: { path: 'layers', default: 2, check: { int: [1, 'maxLayers'] } },
  },
  { name: 'ansatz', type: 'u32', enum: 'ansatz', doc: '', default: 0, json: { path: 'ansatz', default: 'hea' } },
  { name: 'cost', type: 'u32', enum: 'cost', doc: '', default: 0, json: { path: 'cost', default: 'local' } },
  { name: 'optimizer', type: 'u32', enum: 'optimizer', doc: '', default: 0, json: { path: 'optimizer.name', default: 'nlr' } },
  {
    name: 'gradient',
    type: 'u32',
    copy: false,
    enum: 'gradient',
    doc: 'see the forced gradients below',
    default: 0,
    json: {
      path: 'optimizer.gradient',
      doc: 'How ∇L is estimated; some optimizers force theirs (FORCED_GRADIENT). Default (effectiveGradient): adjoint in exact mode, parameter-shift with shots.',
    },
  },
  { name: 'nlr_mode', type: 'u32', enum: 'nlr_mode', doc: '', default: 0, json: { path: 'optimizer.nlr.mode', default: 'gated' } },
  {
    name: 'nlr_period',
    type: 'u32',
    doc: '≥ 2 (periodic)',
    default: 5,
    json: { path: 'optimizer.nlr.period', default: 10, check: { int: [2, 'maxSteps'] } },
  },
  {
    name: 'nlr_patience',
    type: 'u32',
    doc: '≥ 1 (patience)',
    default: 3,
    json: { path: 'optimizer.nlr.patience', default: 5, check: { int: [1, 'maxSteps'] } },
  },
  {
    name: 'batch',
    type: 'u32',
    copy: false,
    doc: '0 = full training set, else 1 … `n_train`',
    default: 0,
    json: {
      path: 'batch',
      default: 0,
      check: { int: [0, 'maxSamples'] },
      doc: '0 = the whole training set each step, else samples per mini-batch.',
    },
  },
  {
    name: 'shots_per_eval',
    type: 'u32',
    copy: 'u64',
    default: 0,
    doc: `0 = exact expectations, else shots per circuit evaluation (≤ ${C.MAX_SHOTS_PER_EVAL.value})`,
    json: {
      path: 'shots.per_eval',
      default: 0,
      check: { int: [0, 'maxShotsPerEval'] },
      doc: '0 = exact expectations; else measurement shots per circuit evaluation.',
    },
  },
  { name: 'n_train', type: 'u32', copy: false, doc: 'samples used for training', default: 0, error: 'dataset' },
  { name: 'n_test', type: 'u32', copy: false, doc: 'samples held out (follow the training samples)', default: 0, error: 'dataset' },
  {
    name: 'shot_budget',
    type: 'u64',
    default: 0,
    doc: 'total shots for the run; must be > 0 in sampled mode and 0 in exact mode',
    json: {
      path: 'shots.budget',
      default: 0,
      check: { int: [0, 'maxJsonInteger'] },
      doc: 'Total shots for the run; > 0 in sampled mode, 0 in exact mode.',
    },
  },
  {
    name: 'seed',
    type: 'u64',
    default: 1,
    error: null,
    doc: 'PRNG seed (parameter init, McClean gate choice, batches, shots, SPSA, NLR-stochastic)',
    json: { path: 'seed', default: 1, check: { int: [0, 'maxJsonInteger'] } },
  },
  { name: 'lr', type: 'f64', doc: 'η > 0, finite', default: 0.1, json: { path: 'optimizer.lr', default: 0.1, check: 'positive' } },
  { name: 'momentum', type: 'f64', doc: '[0, 1)', default: 0.9, json: { path: 'optimizer.momentum', default: 0.9, check: 'unit' } },
  { name: 'beta1', type: 'f64', doc: '[0, 1)', default: 0.9, json: { path: 'optimizer.beta1', default: 0.9, check: 'unit' } },
  { name: 'beta2', type: 'f64', doc: '[0, 1)', default: 0.999, json: { path: 'optimizer.beta2', default: 0.999, check: 'unit' } },
  { name: 'eps', type: 'f64', doc: '> 0 (Adam)', default: 1e-8, json: { path: 'optimizer.eps', default: 1e-8, check: 'positive' } },
  {
    name: 'nlr_ratio',
    type: 'f64',
    doc: 'ρ > 0, finite (η₋ = ρ·η)',
    default: 0.5,
    json: { path: 'optimizer.nlr.ratio', default: 0.5, check: 'positive', doc: 'ρ: the negative phase moves by −ρ·η.' },
  },
  {
    name: 'nlr_prob',
    type: 'f64',
    doc: '(0, 1] (stochastic)',
    default: 0.1,
    json: { path: 'optimizer.nlr.prob', default: 0.1, check: 'probability' },
  },
  {
    name: 'spsa_c',
    type: 'f64',
    doc: 'perturbation size c > 0',
    default: 0.1,
    json: { path: 'optimizer.spsa_c', default: 0.1, check: 'positive' },
  },
  {
    name: 'init_range',
    type: 'f64',
    doc: 'θ₀ ~ U[0, init_range), > 0',
    default: 2 * Math.PI,
    json: { path: 'init_range', default: 2 * Math.PI, check: 'positive', doc: 'θ₀ ~ U[0, init_range).' },
  },
  { name: 'n_features', type: 'u32', copy: false, doc: '0 … `min(qubits, max_features)`; 0 only for local/global costs', default: 0 },
  {
    name: 'param_init',
    type: 'u32',
    enum: 'param_init',
    doc: '',
    default: 0,
    json: {
      path: 'init',
      default: 'uniform',
      doc: 'θ₀: uniform U[0, init_range), gaussian N(0, init_range²), identity-block (hea/hea-zy).',
    },
  },
  {
    name: 'readout',
    type: 'u32',
    enum: 'readout',
    doc: 'used by class-sq and class-xent',
    default: 0,
    json: { path: 'readout', default: 'z0' },
  },
  {
    name: 'reupload',
    type: 'u32',
    copy: false,
    doc: '0, or 1 = encode the features again before every layer after the first',
    default: 0,
    json: { path: 'reupload', default: 0, check: { int: [0, 1] }, doc: '1: data re-uploading before every layer after the first.' },
  },
  {
    name: 'train_from',
    type: 'u32',
    copy: 'i32',
    doc: 'parameters below this index stay fixed (no gradient evaluations); < parameter count',
    default: 0,
    json: {
      path: 'train_from',
      default: 0,
      check: { int: [0, 'maxParams'] },
      doc: 'Parameters 0 … train_from − 1 stay fixed (layerwise training).',
    },
  },
  {
    name: 'perturb',
    type: 'f64',
    doc: 'σ ≥ 0 of N(0, σ²) noise added to every trainable θⱼ after each update',
    default: 0,
    json: {
      path: 'optimizer.perturb',
      default: 0,
      check: 'nonnegative',
      doc: 'Perturbed descent: σ of the Gaussian noise added each step (0 = none).',
    },
  },
  {
    name: 'grad_floor',
    type: 'f64',
    doc: '≥ 0: gradient components smaller in magnitude are set to 0',
    default: 0,
    json: {
      path: 'optimizer.grad_floor',
      default: 0,
      check: 'nonnegative',
      doc: 'Gradient components below this in magnitude are set to 0 (0 = none).',
    },
  },
];

export interface RecordField {
  name: string;
  type: ScalarType;
  doc: string;
}

/** The telemetry record at telemetry_ptr, written by step(), in layout order. */
export const TELEMETRY_FIELDS: readonly RecordField[] = [
  { name: 'step', type: 'u32', doc: '1-based index of the step just run; unchanged when nothing ran' },
  { name: 'status', type: 'u32', doc: 'status code (below)' },
  { name: 'phase', type: 'u32', doc: '0 = positive / descent, 1 = negative / ascent' },
  { name: 'evals', type: 'u32', doc: 'circuit evaluations this step' },
  { name: 'shots', type: 'u64', doc: 'shots this step' },
  { name: 'shots_total', type: 'u64', doc: 'shots for the run' },
  { name: 'loss', type: 'f64', doc: 'mini-batch loss at θ before the update' },
  { name: 'grad_norm', type: 'f64', doc: '‖g‖₂' },
  { name: 'step_norm', type: 'f64', doc: '‖θ_new − θ_old‖₂' },
  { name: 'trial_loss', type: 'f64', doc: 'L(θ − ηg) for gated NLR, else NaN' },
];

/** Status codes of step() and gradient(), in code order. */
export const STATUS_CODES: readonly EnumMember[] = [
  { name: 'OK', doc: 'the step ran' },
  { name: 'NOT_INITIALISED', doc: 'no successful `init`' },
  { name: 'BUDGET_EXHAUSTED', doc: 'the step would overrun `shot_budget`; nothing ran' },
  {
    name: 'NUMERIC',
    doc: 'loss, gradient, NLR trial loss or the new θ became NaN/∞; θ left unchanged, the step still counts and its shots are charged',
  },
];

const enumValues = (e: EnumName): string => {
  const parts = ENUMS[e].members.map((m, code) => `${code} (${m.name})`);
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
};

/** Error codes of init(), in code order; each text names the field first and is what every host shows. */
export const INIT_ERRORS: readonly { name: string; text: string }[] = [
  { name: 'ok', text: 'ok' },
  { name: 'abi_version', text: `abi_version: must be ${ABI_VERSION}` },
  { name: 'qubits', text: `qubits: must be 1..${C.MAX_QUBITS.value} (host build: 1..${H.MAX_QUBITS.value})` },
  { name: 'layers', text: `layers: must be 1..${C.MAX_LAYERS.value} (host build: 1..${H.MAX_LAYERS.value})` },
  {
    name: 'params',
    text: `params: ansatz needs more than ${C.MAX_PARAMS.value} parameters (host build: ${H.MAX_PARAMS.value}; reduce layers or qubits)`,
  },
  { name: 'ansatz', text: `ansatz: must be ${enumValues('ansatz')}` },
  { name: 'cost', text: `cost: must be ${enumValues('cost')}` },
  { name: 'optimizer', text: `optimizer: must be ${enumValues('optimizer')}` },
  { name: 'gradient', text: `gradient: must be ${enumValues('gradient')}; adjoint needs shots_per_eval = 0` },
  { name: 'lr', text: 'lr: must be finite and > 0' },
  { name: 'momentum', text: 'momentum: must be in [0, 1)' },
  { name: 'beta1', text: 'beta1: must be in [0, 1)' },
  { name: 'beta2', text: 'beta2: must be in [0, 1)' },
  { name: 'eps', text: 'eps: must be finite and > 0' },
  { name: 'nlr_mode', text: `nlr_mode: must be ${enumValues('nlr_mode')}` },
  { name: 'nlr_ratio', text: 'nlr_ratio: must be finite and > 0' },
  { name: 'nlr_period', text: 'nlr_period: must be >= 2' },
  { name: 'nlr_prob', text: 'nlr_prob: must be in (0, 1]' },
  { name: 'nlr_patience', text: 'nlr_patience: must be >= 1' },
  { name: 'batch', text: 'batch: must be 0 (full set) or 1..n_train' },
  { name: 'shots_per_eval', text: `shots_per_eval: must be 0 (exact) or 1..${C.MAX_SHOTS_PER_EVAL.value}` },
  { name: 'shot_budget', text: 'shot_budget: must be > 0 with shots, 0 in exact mode' },
  {
    name: 'n_features',
    text: `n_features: must be 1..qubits (max ${C.MAX_FEATURES.value}, host build ${H.MAX_FEATURES.value}) for classification costs`,
  },
  { name: 'dataset', text: `dataset: n_train + n_test must be <= ${C.MAX_SAMPLES.value} samples and features finite` },
  { name: 'labels', text: 'labels: must be +1 or -1, with n_train >= 1' },
  { name: 'spsa_c', text: 'spsa_c: must be finite and > 0' },
  { name: 'init_range', text: 'init_range: must be finite and > 0' },
  { name: 'param_init', text: 'param_init: must be 0..3; 3 (identity-block) needs hea or hea-zy' },
  { name: 'readout', text: `readout: must be ${enumValues('readout')}` },
  { name: 'reupload', text: 'reupload: must be 0 or 1' },
  { name: 'train_from', text: 'train_from: must be below the parameter count' },
  { name: 'perturb', text: 'perturb: must be finite and >= 0' },
  { name: 'grad_floor', text: 'grad_floor: must be finite and >= 0' },
];

/** error_message() of any code outside INIT_ERRORS. */
export const UNKNOWN_ERROR_TEXT = 'unknown error code';
