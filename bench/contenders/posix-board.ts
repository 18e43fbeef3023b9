// The posix board (firmware as a Linux process on a PTY) as a contender: the
// module is uploaded once, then each sample is one TRAIN_START of K steps and
// its time is the sum of the board's own TELEMETRY step_us (docs/protocol.md),
// so the serial link is not part of the step time.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DeviceClient } from '../../host/src/device/client.ts';
import type { RunningBoard } from '../../host/src/boards/board.ts';
import { boardNamed } from '../../host/src/boards/registry.ts';
import type { TelemetryMessage } from '../../host/src/protocol/payloads.generated.ts';
import { benchConfigBytes, type RunShape } from '../qiot-config.ts';
import type { StepTimer, TimedSample } from '../timing.ts';

/** DONE status 0: the requested steps completed (docs/protocol.md). */
const DONE_COMPLETED = 0;

export class PosixBoardBench {
  private constructor(
    private readonly board: RunningBoard,
    private readonly client: DeviceClient,
  ) {}

  static async start(binary: string, module: Uint8Array, scratch: string): Promise<PosixBoardBench> {
    const state = join(scratch, 'posix-board-state.bin');
    rmSync(state, { force: true });
    const board = await boardNamed('posix')!.launch!({ state, firmware: binary });
    try {
      const client = await DeviceClient.open(board.port);
      const upload = await client.upload(module);
      if (!upload.committed) throw new Error('posix board did not commit the module upload');
      return new PosixBoardBench(board, client);
    } catch (e) {
      await board.stop();
      throw e;
    }
  }

  /** Runs `steps` steps from init and returns the board's telemetry frames. */
  async train(run: RunShape, steps: number): Promise<TelemetryMessage[]> {
    await this.client.configure(benchConfigBytes(run), new Uint8Array());
    const frames: TelemetryMessage[] = [];
    const training = await this.client.train(steps, { onTelemetry: (f) => frames.push(f) });
    const done = await training.done;
    if (done.status !== DONE_COMPLETED || frames.length !== steps) {
      throw new Error(`posix board run ended with status ${done.status} after ${frames.length}/${steps} steps ${done.errors.join('; ')}`);
    }
    return frames;
  }

  /** Steps per sample adapt to the last measured step time; the first sample's first step is compilation warm-up. */
  timer(run: RunShape): StepTimer {
    let secondsPerStep = 0;
    return {
      timeSteps: async (minSeconds, maxSteps): Promise<TimedSample> => {
        const steps = secondsPerStep > 0 ? Math.min(maxSteps, Math.max(1, Math.ceil(minSeconds / secondsPerStep))) : Math.min(maxSteps, 3);
        const frames = await this.train(run, steps);
        const seconds = frames.reduce((s, f) => s + f.stepUs / 1e6, 0);
        secondsPerStep = seconds / steps;
        return { steps, seconds };
      },
    };
  }

  async close(): Promise<void> {
    await this.client.close().catch(() => undefined);
    await this.board.stop();
  }
}
