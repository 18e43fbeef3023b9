// Item 2 and the timing half of item 3: qiot in Node, qiot on wasm3 (natively
// through firmware/core's runner, and inside the posix board) against the same
// kernel in plain C (gcc -O2). Exact mode, interleaved, after correctness gates.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { z } from 'zod';
import { PEER_LAYERS, GATE_TOLERANCE_F32, GATE_SEED, type TimingPlan } from '../config.ts';
import { fullRun, type QiotNode } from '../contenders/qiot-node.ts';
import { referenceSteps, referenceTimer, Wasm3StepBench } from '../contenders/native.ts';
import { PosixBoardBench } from '../contenders/posix-board.ts';
import { notMeasured, type NativeSection, type NotMeasured, type TimedRow } from '../results-schema.ts';
import { timedRow } from '../rows.ts';
import { pairedRatio } from '../stats.ts';
import { interleave, type StepTimer } from '../timing.ts';
import { GateFailure, QIOT_NODE } from './peers.ts';

export const PLAIN_C = 'plain C -O2 (native)';
export const WASM3_NATIVE = 'qiot on wasm3 (native runner)';
export const POSIX_BOARD = 'qiot on posix board (wasm3, step_us)';
export const ratioKey = (numerator: string, denominator: string) => `${numerator} / ${denominator}`;

/** firmware/reference/qref.h: θ_j = 0.1 + 0.37·j folded into [0, 2π). */
export function referenceTheta(count: number): number[] {
  return Array.from({ length: count }, (_, j) => (0.1 + 0.37 * j) % (2 * Math.PI));
}

export interface NativeInput {
  plan: TimingPlan;
  qubits: readonly number[];
  qiot: QiotNode | NotMeasured;
  modulePath: string;
  referenceBinary: string;
  wasm3Binary: string;
  posixBoardBinary: string;
  scratch: string;
  log: (line: string) => void;
}

type Gate = { check: string; passed: boolean; detail: string };

/** First line of `cc --version` (bench.mk builds both native contenders with cc). */
function compilerVersion(): string {
  try {
    return execFileSync('cc', ['--version'], { encoding: 'utf8' }).split('\n')[0].trim();
  } catch {
    return 'cc --version failed';
  }
}

function identicalTelemetry(check: string, node: Uint8Array, other: Uint8Array): Gate {
  const a = Buffer.from(node).toString('hex');
  const b = Buffer.from(other).toString('hex');
  return { check, passed: a === b, detail: a === b ? '64 bytes identical' : `Node ${a} ≠ ${b}` };
}

async function startPosixBoard(input: NativeInput, qiot: QiotNode): Promise<PosixBoardBench | NotMeasured> {
  if (!existsSync(input.posixBoardBinary)) return notMeasured(`${input.posixBoardBinary} not built (make firmware)`);
  try {
    return await PosixBoardBench.start(input.posixBoardBinary, qiot.bytes, input.scratch);
  } catch (e) {
    return notMeasured(`posix board did not start or take the module: ${(e as Error).message}`);
  }
}

export async function measureNative(input: NativeInput): Promise<z.infer<typeof NativeSection>> {
  if (!('lossAndGradient' in input.qiot)) return notMeasured(`qiot module unavailable: ${input.qiot.reason}`);
  const qiot = input.qiot;
  const absent: Record<string, NotMeasured> = {};
  const hasC = existsSync(input.referenceBinary);
  if (!hasC) absent[PLAIN_C] = notMeasured(`${input.referenceBinary} not built (firmware/reference)`);
  const wasm3 = existsSync(input.wasm3Binary) ? new Wasm3StepBench(input.wasm3Binary, input.modulePath, input.scratch) : null;
  if (!wasm3) absent[WASM3_NATIVE] = notMeasured(`${input.wasm3Binary} not built (make bench-native)`);
  const board = await startPosixBoard(input, qiot);
  if ('measured' in board) absent[POSIX_BOARD] = board;
  const posix = 'measured' in board ? null : board;
  try {
    const gates: Gate[] = [];
    const rows: TimedRow[] = [];
    for (const qubits of input.qubits) {
      const spec = { qubits, layers: PEER_LAYERS };
      if (hasC) {
        const [first] = referenceSteps(input.referenceBinary, spec, 1);
        const mine = qiot.lossAndGradient(spec, referenceTheta(first.params));
        const diff = Math.max(Math.abs(first.loss - mine.loss), Math.abs(first.grad_norm - Math.hypot(...mine.gradient)));
        gates.push({
          check: `plain C vs qiot (Node), ${qubits} qubits: loss and ‖g‖ at the reference θ`,
          passed: diff <= GATE_TOLERANCE_F32,
          detail: `max difference ${diff.toExponential(2)} (tolerance ${GATE_TOLERANCE_F32})`,
        });
      }
      for (const shots of [0, 1000]) {
        const run = fullRun({ ...spec, shots, seed: GATE_SEED });
        const node = qiot.telemetryAfter(run, 3);
        const label = `${qubits} qubits, ${shots ? `${shots} shots` : 'exact'}: telemetry of step 3`;
        if (wasm3)
          gates.push(identicalTelemetry(`native wasm3 vs Node, ${label}`, node, Buffer.from(wasm3.stepsFromInit(run, 3).telemetry, 'hex')));
        if (posix) gates.push(identicalTelemetry(`posix board vs Node, ${label}`, node, (await posix.train(run, 3))[2].record));
      }
      const failed = gates.filter((g) => !g.passed);
      if (failed.length > 0)
        throw new GateFailure(`native correctness gate failed: ${failed.map((g) => `${g.check}: ${g.detail}`).join('; ')}`);

      const exact = fullRun({ ...spec, shots: 0 });
      const timers: Record<string, StepTimer> = { [QIOT_NODE]: qiot.stepTimer(exact) };
      if (hasC) timers[PLAIN_C] = referenceTimer(input.referenceBinary, spec);
      if (wasm3) timers[WASM3_NATIVE] = wasm3.timer(exact);
      if (posix) timers[POSIX_BOARD] = posix.timer(exact);
      const samples = await interleave(timers, input.plan);
      const row = timedRow({ ...spec, params: 2 * spec.layers * qubits, shots: 0 }, samples, hasC ? PLAIN_C : QIOT_NODE, absent);
      for (const name of [WASM3_NATIVE, POSIX_BOARD]) {
        if (samples[name]) row.ratios[ratioKey(name, QIOT_NODE)] = pairedRatio(samples[name], samples[QIOT_NODE]);
      }
      rows.push(row);
      input.log(
        `  native ${qubits} qubits: ` +
          Object.entries(row.ratios)
            .map(([n, r]) => `${n} ${r.median.toFixed(2)}×`)
            .join(', '),
      );
    }
    return {
      measured: true,
      gates,
      rows,
      notes: [
        'Exact expectations only: the plain-C reference kernel has no shot sampling.',
        `Compiler: ${compilerVersion()}.`,
        'Plain C: firmware/reference (f32 statevector, same circuit and parameter-shift SGD), gcc -O2, timed per step inside the process.',
        "Native runner: build/qiot.wasm run by firmware/core/runner.c with the firmware's wasm3 0.5.0 objects (gcc -O2), one untimed step first (wasm3 compiles lazily).",
        "Posix board: build/firmware/posix/qiot-board on a PTY; the module is uploaded over the protocol and each step's time is the board's own TELEMETRY step_us (the link is not included).",
      ],
    };
  } finally {
    await posix?.close();
  }
}
