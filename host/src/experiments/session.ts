// One training session of build/qiot.wasm for the experiments: a fresh module
// instance configured from a RunConfig (and its data set), with θ readable and
// writable between steps.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RunConfig } from '../config/schema.ts';
import { datasetShape } from '../config/dataset-shape.ts';
import { loadDataset } from '../data/load.ts';
import { packDataset } from '../data/pack.ts';
import { ABI_VERSION, ANSATZ, COST, GRADIENT, NLR_MODE, OPTIMIZER, STATUS, TELEMETRY_SIZE, statusName } from '../wasm/abi.ts';
import { encodeAbiConfig, type AbiConfig } from '../wasm/config-codec.ts';
import { decodeTelemetry, type TelemetryRecord } from '../wasm/telemetry.ts';

/** The decoded telemetry record plus its 64 raw bytes (for run logs and bit-identity checks). */
export type StepOutcome = TelemetryRecord & { raw: Uint8Array };

export interface Session {
  readonly paramCount: number;
  params(): Float64Array;
  /** Writes θ (optimizer state such as Adam moments is kept, docs/abi.md). */
  setParams(theta: ArrayLike<number>): void;
  step(): StepOutcome;
  /** ∇L(θ) on the current mini-batch (charges its shots, does not move θ). */
  gradient(): Float64Array;
  evaluate(split: 0 | 1): number;
  accuracy(split: 0 | 1): number;
}

export const MODULE_PATH: string = fileURLToPath(new URL('../../../build/qiot.wasm', import.meta.url));

let compiled: WebAssembly.Module | null = null;

function compiledModule(): WebAssembly.Module {
  if (!compiled) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(MODULE_PATH);
    } catch {
      throw new Error(`cannot read ${MODULE_PATH}: build it first with \`make runtime\``);
    }
    compiled = new WebAssembly.Module(new Uint8Array(bytes));
  }
  return compiled;
}

interface Exports {
  memory: WebAssembly.Memory;
  abi_version(): number;
  config_ptr(): number;
  dataset_ptr(): number;
  dataset_capacity(): number;
  params_ptr(): number;
  grad_ptr(): number;
  telemetry_ptr(): number;
  message_ptr(): number;
  init(): number;
  param_count(): number;
  step(): number;
  gradient(): number;
  evaluate(split: number): number;
  accuracy(split: number): number;
  error_message(code: number): number;
}

export function toAbiConfig(cfg: RunConfig, paramInit: 0 | 1): AbiConfig {
  const shape = datasetShape(cfg);
  const o = cfg.optimizer;
  return {
    abiVersion: ABI_VERSION,
    qubits: cfg.qubits,
    layers: cfg.layers,
    ansatz: ANSATZ[cfg.ansatz],
    cost: COST[cfg.cost],
    optimizer: OPTIMIZER[o.name],
    gradient: o.name === 'spsa' ? GRADIENT.spsa : GRADIENT[o.gradient],
    nlrMode: NLR_MODE[o.nlr.mode],
    nlrPeriod: o.nlr.period,
    nlrPatience: o.nlr.patience,
    batch: cfg.batch,
    shotsPerEval: cfg.shots.per_eval,
    nTrain: shape.nTrain,
    nTest: shape.nTest,
    shotBudget: cfg.shots.budget,
    seed: cfg.seed,
    lr: o.lr,
    momentum: o.momentum,
    beta1: o.beta1,
    beta2: o.beta2,
    eps: o.eps,
    nlrRatio: o.nlr.ratio,
    nlrProb: o.nlr.prob,
    spsaC: o.spsa_c,
    initRange: cfg.init_range,
    nFeatures: shape.features,
    paramInit,
  };
}

/** A fresh module instance initialised for `cfg`; `theta0` (if given) replaces the seeded θ₀. */
export async function openSession(cfg: RunConfig, theta0?: readonly number[]): Promise<Session> {
  const instance = new WebAssembly.Instance(compiledModule(), {
    env: {
      abort: (_msg: number, _file: number, line: number, col: number) => {
        throw new Error(`qiot.wasm aborted at line ${line}:${col}`);
      },
    },
  });
  const x = instance.exports as unknown as Exports;
  if (x.abi_version() !== ABI_VERSION) throw new Error(`qiot.wasm has ABI ${x.abi_version()}, expected ${ABI_VERSION}`);
  const mem = () => new Uint8Array(x.memory.buffer);
  mem().set(encodeAbiConfig(toAbiConfig(cfg, theta0 ? 1 : 0)), x.config_ptr());
  const dataset = loadDataset(cfg);
  if (dataset) {
    const packed = packDataset(dataset);
    if (packed.length > x.dataset_capacity()) {
      throw new Error(`data set needs ${packed.length} bytes, the module holds ${x.dataset_capacity()}`);
    }
    mem().set(packed, x.dataset_ptr());
  }
  const code = x.init();
  if (code !== 0) {
    const len = x.error_message(code);
    const text = new TextDecoder().decode(mem().subarray(x.message_ptr(), x.message_ptr() + len));
    throw new Error(`init() rejected the config: ${text} (code ${code})`);
  }
  const paramCount = x.param_count();
  const f64s = (ptr: number) => new Float64Array(x.memory.buffer, ptr, paramCount);
  if (theta0) {
    if (theta0.length !== paramCount) throw new Error(`θ₀ has ${theta0.length} values, the circuit has ${paramCount} parameters`);
    f64s(x.params_ptr()).set(theta0);
  }
  return {
    paramCount,
    params: () => f64s(x.params_ptr()).slice(),
    setParams: (theta) => {
      if (theta.length !== paramCount) throw new Error(`θ has ${theta.length} values, the circuit has ${paramCount} parameters`);
      f64s(x.params_ptr()).set(theta);
    },
    step: () => {
      x.step();
      const ptr = x.telemetry_ptr();
      const raw = mem().slice(ptr, ptr + TELEMETRY_SIZE);
      return { ...decodeTelemetry(raw), raw };
    },
    gradient: () => {
      const status = x.gradient();
      if (status !== STATUS.OK) throw new Error(`gradient() returned ${statusName(status)}`);
      return f64s(x.grad_ptr()).slice();
    },
    evaluate: (split) => x.evaluate(split),
    accuracy: (split) => x.accuracy(split),
  };
}
