// Runs of one config on the two engines the suite compares: the module in this process
// (Node's V8, the reference) and the board under test (wasm3 over the wire protocol).
import { createHash } from 'node:crypto';
import { encodeConfig } from '../host/src/config/encode.ts';
import type { RunConfig } from '../host/src/config/schema.ts';
import { loadDataset } from '../host/src/data/load.ts';
import { packDataset } from '../host/src/data/pack.ts';
import type { TrainingEnd } from '../host/src/device/training.ts';
import type { TelemetryMessage } from '../host/src/protocol/payloads.generated.ts';
import { ModuleTarget, readModuleImage, type ModuleImage } from '../host/src/train/module-target.ts';
import type { TargetSummary } from '../host/src/train/target.ts';
import { MODULE_PATH, readModule } from '../host/testing/harness.ts';
import type { HilDevice } from './board.ts';

export { MODULE_PATH, readModule };

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The CONFIG struct and packed dataset of a run config, as every host sends them. */
export function encodeRun(cfg: RunConfig): { config: Uint8Array; dataset: Uint8Array } {
  const ds = loadDataset(cfg);
  return { config: encodeConfig(cfg, ds), dataset: ds ? packDataset(ds) : new Uint8Array(0) };
}

const images = new Map<string, Promise<ModuleImage>>();

export interface NodeRun {
  /** The 64-byte telemetry records in step order, as hex. */
  records: string[];
  summary: TargetSummary;
}

/** The reference: `steps` steps of `cfg` (0 = until the shot budget ends the run) on the module in Node
 *  (the device build unless `modulePath` names another). */
export async function nodeRun(
  cfg: RunConfig,
  steps: number = cfg.steps,
  start?: readonly number[],
  modulePath: string = MODULE_PATH,
): Promise<NodeRun> {
  if (!images.has(modulePath)) images.set(modulePath, readModuleImage(modulePath));
  const target = new ModuleTarget(await images.get(modulePath)!);
  const { config, dataset } = encodeRun(cfg);
  await target.configure(config, dataset);
  if (start) await target.setStartParams(start);
  const records: string[] = [];
  const summary = await target.train(steps, (s) => records.push(hex(s.raw)));
  return { records, summary };
}

export interface BoardRun {
  frames: TelemetryMessage[];
  /** The records of `frames`, as hex. */
  records: string[];
  gaps: Array<[number, number]>;
  end: TrainingEnd;
}

/** CONFIG + DATASET, TRAIN_START, every TELEMETRY until DONE. */
export async function boardRun(client: HilDevice, cfg: RunConfig, steps: number = cfg.steps, start?: readonly number[]): Promise<BoardRun> {
  const { config, dataset } = encodeRun(cfg);
  await client.configure(config, dataset);
  const frames: TelemetryMessage[] = [];
  const gaps: Array<[number, number]> = [];
  const handlers = { onTelemetry: (f: TelemetryMessage) => frames.push(f), onGap: (from: number, to: number) => gaps.push([from, to]) };
  const run = await client.train(steps, handlers, start ? { start } : {});
  const end = await run.done;
  return { frames, records: frames.map((f) => hex(f.record)), gaps, end };
}
