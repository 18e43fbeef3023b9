// ModuleTarget: the TrainingTarget of `qiot sim` — the module instantiated in
// this process. It yields to the event loop between steps so Ctrl-C (stop())
// takes effect after the current step.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ABI_VERSION, STATUS } from '../wasm/abi.ts';
import { DEFAULT_MODULE_PATH, QiotAbortError, QiotModule } from '../wasm/module.ts';
import { ConfigRejectedError, type StepTelemetry, type TargetIdentity, type TargetSummary, type TrainingTarget } from './target.ts';
import { QiotError } from '../errors.ts';

/** The module file's bytes and sha256, loaded once and instantiated per run. */
export interface ModuleImage {
  path: string;
  bytes: Uint8Array;
  sha256: string;
}

export class ModuleFileError extends QiotError {
  constructor(message: string) {
    super(message, 'invalid');
    this.name = 'ModuleFileError';
  }
}

export async function readModuleImage(path: string = DEFAULT_MODULE_PATH): Promise<ModuleImage> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ModuleFileError(
      code === 'ENOENT' ? `module ${path} not found (build it with \`make runtime\`)` : `cannot read module ${path}: ${String(err)}`,
    );
  }
  return { path, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

const isTrap = (err: unknown) => err instanceof WebAssembly.RuntimeError || err instanceof QiotAbortError;

export class ModuleTarget implements TrainingTarget {
  readonly module: QiotModule;
  private stopRequested = false;
  private initialParams: Float64Array | null = null;

  constructor(private readonly image: ModuleImage) {
    try {
      this.module = QiotModule.fromBytes(image.bytes);
    } catch (err) {
      throw new ModuleFileError(`module ${image.path} cannot be used: ${(err as Error).message}`);
    }
  }

  async identity(): Promise<TargetIdentity> {
    return { target: { kind: 'node' }, moduleSha256: this.image.sha256, abiVersion: ABI_VERSION };
  }

  async configure(config: Uint8Array, dataset: Uint8Array): Promise<void> {
    this.module.writeConfigBytes(config);
    this.module.writeDataset(dataset);
    const code = this.module.init();
    if (code !== 0) throw new ConfigRejectedError(code, this.module.errorMessage(code));
    this.initialParams = this.module.getParams();
  }

  async setStartParams(theta: readonly number[]): Promise<void> {
    this.module.setParams(theta);
    this.initialParams = Float64Array.from(theta);
  }

  /** θ before the first step: as drawn by init(), or as set by setStartParams. */
  initialParameters(): Float64Array {
    if (!this.initialParams) throw new Error('initialParameters() before a successful configure()');
    return this.initialParams;
  }

  /** `steps` = 0 runs until stop() or the shot budget. */
  async train(steps: number, onStep: (step: StepTelemetry) => void): Promise<TargetSummary> {
    this.stopRequested = false;
    let status: TargetSummary['status'] = 'completed';
    let shotsTotal = 0;
    try {
      for (let i = 0; steps === 0 || i < steps; i++) {
        await nextTurn();
        if (this.stopRequested) {
          status = 'stopped';
          break;
        }
        const started = performance.now();
        const result = this.module.step();
        const stepUs = Math.round((performance.now() - started) * 1000);
        if (result.status === STATUS.BUDGET_EXHAUSTED) {
          status = 'budget_exhausted';
          break;
        }
        if (result.status === STATUS.NOT_INITIALISED) throw new Error('module step() before a successful init()');
        shotsTotal = result.record.shotsTotal;
        onStep({ raw: result.raw, stepUs });
        if (result.status === STATUS.NUMERIC) {
          status = 'numeric';
          break;
        }
      }
    } catch (err) {
      if (!isTrap(err)) throw err;
      return { ...this.nanSummary(shotsTotal), status: 'trap', error: (err as Error).message };
    }
    return {
      status,
      trainLoss: this.module.evaluate('train'),
      testLoss: this.module.evaluate('test'),
      testAccuracy: this.module.accuracy('test'),
      shotsTotal,
      paramCount: this.module.paramCount,
      params: this.module.getParams(),
    };
  }

  stop(): void {
    this.stopRequested = true;
  }

  private nanSummary(shotsTotal: number): Omit<TargetSummary, 'status'> {
    return { trainLoss: NaN, testLoss: NaN, testAccuracy: NaN, shotsTotal, paramCount: this.module.paramCount };
  }
}
