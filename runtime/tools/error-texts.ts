// The text of every init() error code (docs/abi.md "Error codes"): entry k names code k.
// runtime/tools/generate-error-texts.ts turns this table into the module's ASCII data
// (AssemblyScript would store string literals as UTF-16, twice the bytes).
// Each text names the field first and quotes the module's limits (config.ts).
export const ERROR_TEXTS: readonly string[] = [
  'ok',
  'abi_version: must be 1',
  'qubits: must be 1..10',
  'layers: must be 1..64',
  'params: ansatz needs more than 256 parameters (reduce layers or qubits)',
  'ansatz: must be 0 (hea), 1 (mcclean) or 2 (rxry-cnot)',
  'cost: must be 0 (local), 1 (global), 2 (class-sq) or 3 (class-xent)',
  'optimizer: must be 0 (sgd), 1 (momentum), 2 (adam), 3 (spsa) or 4 (nlr)',
  'gradient: must be 0 (parameter shift) or 1 (spsa)',
  'lr: must be finite and > 0',
  'momentum: must be in [0, 1)',
  'beta1: must be in [0, 1)',
  'beta2: must be in [0, 1)',
  'eps: must be finite and > 0',
  'nlr_mode: must be 0 (gated), 1 (periodic), 2 (stochastic) or 3 (patience)',
  'nlr_ratio: must be finite and > 0',
  'nlr_period: must be >= 2',
  'nlr_prob: must be in (0, 1]',
  'nlr_patience: must be >= 1',
  'batch: must be 0 (full set) or 1..n_train',
  'shots_per_eval: must be 0 (exact) or 1..1000000',
  'shot_budget: must be > 0 with shots, 0 in exact mode',
  'n_features: must be 1..qubits (max 10) for classification costs',
  'dataset: n_train + n_test must be <= 256 samples and features finite',
  'labels: must be +1 or -1, with n_train >= 1',
  'spsa_c: must be finite and > 0',
  'init_range: must be finite and > 0',
  'param_init: must be 0 (seeded uniform) or 1 (host writes)',
];

/** The text of any code outside the table. */
export const UNKNOWN_ERROR_TEXT = 'unknown error code';
