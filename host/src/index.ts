// The qiot library API (`import { simulate, openBoard, readRunLog } from 'qiot'`):
// scripting simulations, boards and run logs without the CLI. Every error is a
// QiotError with a kind ('invalid', 'failed', 'unreachable', 'restarted', 'interrupted').
import { DeviceClient, type OpenOptions } from './device/client.ts';

export { QiotError, errorKind, type ErrorKind } from './errors.ts';
export { QIOT_VERSION } from './version.ts';

// Configs
export { loadConfig, parseConfig } from './config/load.ts';
export type { RunConfig, RunConfigInput } from './config/schema.ts';
export { ConfigError } from './config/errors.ts';
export { loadDataset } from './data/load.ts';

// Training: in-process, on any target, resumed, scored
export { simulate, type SimulateOptions } from './train/simulate.ts';
export { runTraining, type RunResult, type RunTrainingOptions, type RecordSink } from './train/run.ts';
export { ModuleTarget, readModuleImage, type ModuleImage } from './train/module-target.ts';
export type { TrainingTarget, TargetSummary, StepTelemetry } from './train/target.ts';
export { planResume, ResumeError, type ResumePlan } from './train/resume.ts';
export { scoreParams, type Scores } from './train/score.ts';

// The module itself
export { QiotModule, DEFAULT_MODULE_PATH } from './wasm/module.ts';
export { MODULE_BUILDS, MODULE_BUILD_NAMES, moduleBuildPath, type ModuleBuild } from './wasm/builds.ts';

// Run logs
export { readRunLog, parseRunLog, RunLogError, type RunLog } from './runlog/reader.ts';
export { RunLogWriter } from './runlog/writer.ts';
export type { HeaderRecord, StepRecord, SummaryRecord, RunLogRecord, RunStatus } from './runlog/schema.ts';

// Boards
export { DeviceClient, type OpenOptions } from './device/client.ts';
export { BoardTarget } from './device/board-target.ts';
export { launchPosixBoard } from './boards/posix.ts';
export type { RunningBoard } from './boards/board.ts';

/** Opens a board on a serial port or pseudo-terminal and says HELLO (DeviceClient.open). */
export function openBoard(port: string, opts: OpenOptions = {}): Promise<DeviceClient> {
  return DeviceClient.open(port, opts);
}
