// Every limit the host checks before a run, with the reason for it. The module
// checks the same rules again (docs/abi.md); these copies exist so a person sees
// a message naming the JSON field before anything runs.

export const LIMITS = {
  /** Module capacity `max_qubits()`: the statevector buffer holds 2^10 f32 amplitudes. */
  maxQubits: 10,
  /** ABI rule for `layers` (docs/abi.md). */
  maxLayers: 64,
  /** Module capacity `max_params()`: size of the static θ, gradient and optimizer-state buffers. */
  maxParams: 256,
  /** Module capacity `max_samples()`: the dataset region holds at most 256 samples. */
  maxSamples: 256,
  /** Module capacity `max_features()`: one feature per qubit, at most `max_qubits`. */
  maxFeatures: 10,
  /** ABI rule for `shots_per_eval`: keeps a step's shot count well inside u64 and a step's time bounded. */
  maxShotsPerEval: 1_000_000,
  /** JSON numbers are exact integers only up to 2^53 − 1; u64 fields (seed, shot budget) are limited to that. */
  maxJsonInteger: Number.MAX_SAFE_INTEGER,
  /** A run longer than this is almost certainly a typo; also keeps run logs below a few hundred MB. */
  maxSteps: 1_000_000,
  /** Iris has 50 samples per class, so a two-class subset has at most 100. */
  irisSamplesPerClass: 50,
  /** Iris measures 4 features per flower. */
  irisFeatures: 4,
  /** A test split needs at least this many training samples left to train on. */
  minTrainSamples: 1,
} as const;
