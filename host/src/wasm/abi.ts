// Constants, enums and code names of the module ABI (docs/abi.md, version 1).

export const ABI_VERSION = 1;
export const CONFIG_SIZE = 160;
export const TELEMETRY_SIZE = 64;

export const ANSATZ = { hea: 0, mcclean: 1, 'rxry-cnot': 2 } as const;
export const COST = { local: 0, global: 1, 'class-sq': 2, 'class-xent': 3 } as const;
export const OPTIMIZER = { sgd: 0, momentum: 1, adam: 2, spsa: 3, nlr: 4 } as const;
export const GRADIENT = { 'parameter-shift': 0, spsa: 1 } as const;
export const NLR_MODE = { gated: 0, periodic: 1, stochastic: 2, patience: 3 } as const;
export const SPLIT = { train: 0, test: 1 } as const;
export const PHASE = { positive: 0, negative: 1 } as const;

export type AnsatzName = keyof typeof ANSATZ;
export type CostName = keyof typeof COST;
export type OptimizerName = keyof typeof OPTIMIZER;
export type GradientName = keyof typeof GRADIENT;
export type NlrModeName = keyof typeof NLR_MODE;
export type SplitName = keyof typeof SPLIT;

/** Status codes of `step()` and `gradient()`. */
export const STATUS = { OK: 0, NOT_INITIALISED: 1, BUDGET_EXHAUSTED: 2, NUMERIC: 3 } as const;
export type StatusName = keyof typeof STATUS;

/** Error codes of `init()`, named after the config field they reject. */
export const INIT_ERROR = {
  ok: 0,
  abi_version: 1,
  qubits: 2,
  layers: 3,
  params: 4,
  ansatz: 5,
  cost: 6,
  optimizer: 7,
  gradient: 8,
  lr: 9,
  momentum: 10,
  beta1: 11,
  beta2: 12,
  eps: 13,
  nlr_mode: 14,
  nlr_ratio: 15,
  nlr_period: 16,
  nlr_prob: 17,
  nlr_patience: 18,
  batch: 19,
  shots_per_eval: 20,
  shot_budget: 21,
  n_features: 22,
  dataset: 23,
  labels: 24,
  spsa_c: 25,
  init_range: 26,
  param_init: 27,
} as const;
export type InitErrorName = keyof typeof INIT_ERROR;

/** Gate codes of the diagnostic export `sv_apply`. */
export const GATE = { RX: 0, RY: 1, RZ: 2, H: 3, CZ: 4, CNOT: 5 } as const;
export type GateName = keyof typeof GATE;

function nameOf<T extends Record<string, number>>(table: T, code: number): keyof T | undefined {
  return (Object.keys(table) as (keyof T)[]).find((key) => table[key] === code);
}

export function statusName(code: number): StatusName | `UNKNOWN_${number}` {
  return nameOf(STATUS, code) ?? `UNKNOWN_${code}`;
}

export function initErrorName(code: number): InitErrorName | `unknown_${number}` {
  return nameOf(INIT_ERROR, code) ?? `unknown_${code}`;
}

/** Looks up a name in one of the enum tables; throws an Error listing the accepted names. */
export function codeOf<T extends Record<string, number>>(table: T, kind: string, name: string): number {
  if (!Object.hasOwn(table, name)) {
    throw new Error(`unknown ${kind} '${name}': expected one of ${Object.keys(table).join(', ')}`);
  }
  return table[name as keyof T];
}
