// QiotModule: build/qiot.wasm instantiated in Node, with typed access to its ABI (docs/abi.md).
import { readFile } from 'node:fs/promises';
import { packagePath } from '../package-root.ts';
import { ABI_VERSION, CONFIG_SIZE, SPLIT, TELEMETRY_SIZE, type GateName, GATE, type SplitName } from './abi.ts';
import { encodeAbiConfig, type AbiConfig } from './config-codec.ts';
import { decodeTelemetry, type TelemetryRecord } from './telemetry.ts';

/** build/qiot.wasm of this checkout. */
export const DEFAULT_MODULE_PATH = packagePath('build', 'qiot.wasm');

/** Thrown when the module calls env.abort (a trap with AssemblyScript's message). */
export class QiotAbortError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QiotAbortError';
  }
}

export interface Capacities {
  maxQubits: number;
  maxParams: number;
  maxSamples: number;
  maxFeatures: number;
  datasetCapacity: number;
}

export interface StepResult {
  status: number;
  record: TelemetryRecord;
  /** The record's 64 bytes (a copy): the unit of the bit-identical guarantee. */
  raw: Uint8Array;
}

export interface GradientResult {
  status: number;
  gradient: Float64Array;
}

interface QiotExports {
  memory: WebAssembly.Memory;
  abi_version(): number;
  max_qubits(): number;
  max_params(): number;
  max_samples(): number;
  max_features(): number;
  dataset_capacity(): number;
  config_ptr(): number;
  dataset_ptr(): number;
  params_ptr(): number;
  grad_ptr(): number;
  telemetry_ptr(): number;
  message_ptr(): number;
  init(): number;
  param_count(): number;
  step(): number;
  /** Sliced steps (docs/abi.md "Stepping in slices"); absent from modules before issue 14. */
  step_begin?(): number;
  step_continue?(budget: number): number;
  gradient(): number;
  evaluate(split: number): number;
  accuracy(split: number): number;
  output(sample: number): number;
  error_message(code: number): number;
  sv_reset(qubits: number): void;
  sv_apply(gate: number, q0: number, q1: number, angle: number): void;
  sv_prob(index: number): number;
}

const REQUIRED_EXPORTS: readonly (keyof QiotExports)[] = [
  'memory',
  'abi_version',
  'max_qubits',
  'max_params',
  'max_samples',
  'max_features',
  'dataset_capacity',
  'config_ptr',
  'dataset_ptr',
  'params_ptr',
  'grad_ptr',
  'telemetry_ptr',
  'message_ptr',
  'init',
  'param_count',
  'step',
  'gradient',
  'evaluate',
  'accuracy',
  'output',
  'error_message',
  'sv_reset',
  'sv_apply',
  'sv_prob',
];

// AssemblyScript strings: UTF-16LE payload, byte length stored in the 4 bytes before it.
function readAsString(memory: WebAssembly.Memory, pointer: number): string {
  if (pointer === 0) return '';
  const byteLength = new DataView(memory.buffer).getUint32(pointer - 4, true);
  return Buffer.from(memory.buffer, pointer, byteLength).toString('utf16le');
}

function splitCode(split: SplitName | number): number {
  return typeof split === 'number' ? split : SPLIT[split];
}

export class QiotModule {
  readonly capacities: Capacities;
  private readonly exports: QiotExports;

  private constructor(instance: WebAssembly.Instance) {
    this.exports = instance.exports as unknown as QiotExports;
    if (typeof this.exports.abi_version !== 'function') throw new Error("qiot module lacks the export 'abi_version' (docs/abi.md)");
    const version = this.exports.abi_version();
    if (version !== ABI_VERSION) {
      throw new Error(`qiot module has ABI version ${version}; this host speaks version ${ABI_VERSION}`);
    }
    for (const name of REQUIRED_EXPORTS) {
      if (!(name in instance.exports)) throw new Error(`qiot module lacks the export '${name}' (docs/abi.md)`);
    }
    this.capacities = {
      maxQubits: this.exports.max_qubits(),
      maxParams: this.exports.max_params(),
      maxSamples: this.exports.max_samples(),
      maxFeatures: this.exports.max_features(),
      datasetCapacity: this.exports.dataset_capacity(),
    };
  }

  /** Loads and instantiates a module file (default: build/qiot.wasm). */
  static async load(path: string = DEFAULT_MODULE_PATH): Promise<QiotModule> {
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found (run `make runtime`)' : String(error);
      throw new Error(`cannot read qiot module ${path}: ${reason}`);
    }
    return QiotModule.fromBytes(bytes);
  }

  static fromBytes(bytes: Uint8Array): QiotModule {
    let memory: WebAssembly.Memory | undefined;
    const imports = {
      env: {
        abort(message: number, file: number, line: number, column: number): never {
          const text = memory ? readAsString(memory, message) : 'abort before start';
          const fileName = memory ? readAsString(memory, file) : '';
          const where = fileName ? ` (${fileName}:${line}:${column})` : '';
          throw new QiotAbortError(`qiot module aborted: ${text}${where}`);
        },
      },
    };
    let instance: WebAssembly.Instance;
    try {
      instance = new WebAssembly.Instance(new WebAssembly.Module(Uint8Array.from(bytes)), imports);
    } catch (error) {
      throw new Error(`not a usable qiot module (docs/abi.md): ${(error as Error).message}`);
    }
    memory = instance.exports.memory as WebAssembly.Memory;
    return new QiotModule(instance);
  }

  private bytesAt(pointer: number, length: number): Uint8Array {
    return new Uint8Array(this.exports.memory.buffer, pointer, length);
  }

  writeConfig(config: AbiConfig): void {
    this.writeConfigBytes(encodeAbiConfig(config));
  }

  writeConfigBytes(bytes: Uint8Array): void {
    if (bytes.length !== CONFIG_SIZE) throw new RangeError(`config struct must be ${CONFIG_SIZE} bytes, got ${bytes.length}`);
    this.bytesAt(this.exports.config_ptr(), CONFIG_SIZE).set(bytes);
  }

  /** Copies a packed dataset (docs/abi.md) to the start of the dataset region. */
  writeDataset(bytes: Uint8Array): void {
    const capacity = this.capacities.datasetCapacity;
    if (bytes.length > capacity) {
      throw new RangeError(`dataset of ${bytes.length} bytes exceeds the module's dataset region of ${capacity} bytes`);
    }
    this.bytesAt(this.exports.dataset_ptr(), bytes.length).set(bytes);
  }

  /** Validates config and dataset and starts a run: 0, or an INIT_ERROR code (see errorMessage). */
  init(): number {
    return this.exports.init();
  }

  errorMessage(code: number): string {
    const length = this.exports.error_message(code);
    return Buffer.from(this.bytesAt(this.exports.message_ptr(), length)).toString('ascii');
  }

  get paramCount(): number {
    return this.exports.param_count();
  }

  step(): StepResult {
    const status = this.exports.step();
    const raw = this.telemetryBytes();
    return { status, record: decodeTelemetry(raw), raw };
  }

  /** Starts a step to run in slices: STATUS.OK, or the status of an idle record (as step()). */
  stepBegin(): number {
    if (!this.exports.step_begin) throw new Error('this qiot module cannot step in slices (no step_begin export)');
    return this.exports.step_begin();
  }

  /** Runs at least `budget` evaluation units of the started step: 1 more, 0 done (record written), −1 no step. */
  stepContinue(budget: number): number {
    if (!this.exports.step_continue) throw new Error('this qiot module cannot step in slices (no step_continue export)');
    return this.exports.step_continue(budget);
  }

  telemetryBytes(): Uint8Array {
    return this.bytesAt(this.exports.telemetry_ptr(), TELEMETRY_SIZE).slice();
  }

  /** Estimates ∇L(θ) on the current mini-batch (charges shots, leaves θ and the step count). */
  gradient(): GradientResult {
    const status = this.exports.gradient();
    const gradient = new Float64Array(this.exports.memory.buffer, this.exports.grad_ptr(), this.paramCount).slice();
    return { status, gradient };
  }

  /** Exact mean loss over a split (no shots charged). */
  evaluate(split: SplitName | number): number {
    return this.exports.evaluate(splitCode(split));
  }

  /** Exact classification accuracy over a split (NaN for local/global costs or an empty split). */
  accuracy(split: SplitName | number): number {
    return this.exports.accuracy(splitCode(split));
  }

  /** Exact model output 2p − 1 of sample i (training samples, then test samples); NaN outside. */
  output(sample: number): number {
    return this.exports.output(sample);
  }

  getParams(): Float64Array {
    return new Float64Array(this.exports.memory.buffer, this.exports.params_ptr(), this.paramCount).slice();
  }

  /** Writes θ (exactly paramCount values); optimizer state is kept (docs/abi.md). */
  setParams(values: ArrayLike<number>): void {
    const count = this.paramCount;
    if (values.length !== count) throw new RangeError(`expected ${count} parameters, got ${values.length}`);
    new Float64Array(this.exports.memory.buffer, this.exports.params_ptr(), count).set(values);
  }

  /** Diagnostic: resets the statevector to |0…0⟩ on n qubits. */
  svReset(qubits: number): void {
    this.exports.sv_reset(qubits);
  }

  /** Diagnostic: applies one gate (q1 is the second qubit of CZ / the target of CNOT). */
  svApply(gate: GateName, q0: number, q1 = 0, angle = 0): void {
    this.exports.sv_apply(GATE[gate], q0, q1, angle);
  }

  /** Diagnostic: |amplitude|² of a basis state. */
  svProb(index: number): number {
    return this.exports.sv_prob(index);
  }
}
