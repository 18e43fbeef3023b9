// Contenders that run as native processes: the plain-C reference kernel
// (firmware/reference, gcc -O2) and wasm3 through firmware/core's runner
// (bench/wasm3/step_bench.c). Each process times its own steps in-process.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CircuitSpec } from '../circuit.ts';
import { benchConfigBytes, type RunShape } from '../qiot-config.ts';
import type { StepTimer, TimedSample } from '../timing.ts';

/** No single benchmark process may run longer than this; a hang is an error, not a wait. */
const PROCESS_TIMEOUT_MS = 120_000;

function runProcess(binary: string, args: readonly string[]): string {
  try {
    return execFileSync(binary, args, { encoding: 'utf8', timeout: PROCESS_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${binary} ${args.join(' ')} failed: ${(err.stderr || err.message).trim()}`);
  }
}

export interface ReferenceStep {
  step: number;
  params: number;
  loss: number;
  grad_norm: number;
  step_norm: number;
  evals: number;
  ns: number;
}

export function referenceSteps(binary: string, spec: CircuitSpec, steps: number): ReferenceStep[] {
  return runProcess(binary, [String(spec.qubits), String(spec.layers), String(steps)])
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ReferenceStep);
}

/** The C kernel prints each step's own time; steps per sample adapt to the last measured step time. */
export function referenceTimer(binary: string, spec: CircuitSpec): StepTimer {
  let secondsPerStep = 0;
  return {
    async timeSteps(minSeconds, maxSteps): Promise<TimedSample> {
      const steps = secondsPerStep > 0 ? Math.min(maxSteps, Math.max(1, Math.ceil(minSeconds / secondsPerStep))) : Math.min(maxSteps, 3);
      const seconds = referenceSteps(binary, spec, steps).reduce((s, r) => s + r.ns / 1e9, 0);
      secondsPerStep = seconds / steps;
      return { steps, seconds };
    },
  };
}

export interface Wasm3Output {
  steps: number;
  seconds: number;
  telemetry: string;
}

export class Wasm3StepBench {
  constructor(
    private readonly binary: string,
    private readonly modulePath: string,
    private readonly scratch: string,
  ) {
    mkdirSync(scratch, { recursive: true });
  }

  private configFile(run: RunShape): string {
    const path = join(this.scratch, `config-${run.qubits}q-${run.layers}l-${run.shots}s-${run.gradient}.bin`);
    writeFileSync(path, benchConfigBytes(run));
    return path;
  }

  /** Exactly `steps` steps from init; the last telemetry record in hex. */
  stepsFromInit(run: RunShape, steps: number): Wasm3Output {
    return JSON.parse(runProcess(this.binary, [this.modulePath, this.configFile(run), 'steps', String(steps)]));
  }

  timer(run: RunShape): StepTimer {
    const config = this.configFile(run);
    return {
      timeSteps: async (minSeconds, maxSteps) => {
        const out: Wasm3Output = JSON.parse(
          runProcess(this.binary, [this.modulePath, config, 'time', String(minSeconds), String(maxSteps)]),
        );
        return { steps: out.steps, seconds: out.seconds };
      },
    };
  }
}
