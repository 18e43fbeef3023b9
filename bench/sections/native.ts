// Item 2 (and the timing half of item 3): qiot in Node and qiot on native wasm3
// against the same kernel in plain C (gcc -O2), exact mode, interleaved.
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { PEER_LAYERS, GATE_TOLERANCE_F32, GATE_SEED, type TimingPlan } from '../config.ts';
import type { QiotNode } from '../contenders/qiot-node.ts';
import { fullRun } from '../contenders/qiot-node.ts';
import { referenceSteps, referenceTimer, Wasm3StepBench } from '../contenders/native.ts';
import { notMeasured, type NativeSection, type NotMeasured, type TimedRow } from '../results-schema.ts';
import { timedRow } from '../rows.ts';
import { interleave, type StepTimer } from '../timing.ts';
import { pairedRatio } from '../stats.ts';
import { QIOT_NODE } from './peers.ts';

export const PLAIN_C = 'plain C -O2 (native)';
export const WASM3_NATIVE = 'qiot on wasm3 (native)';

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
  scratch: string;
  log: (line: string) => void;
}

type Gate = { check: string; passed: boolean; detail: string };

export async function measureNative(input: NativeInput): Promise<z.infer<typeof NativeSection>> {
  if (!('lossAndGradient' in input.qiot)) return notMeasured(`qiot module unavailable: ${input.qiot.reason}`);
  const qiot = input.qiot;
  const hasC = existsSync(input.referenceBinary);
  const hasWasm3 = existsSync(input.wasm3Binary);
  if (!hasC && !hasWasm3) {
    return notMeasured(`neither ${input.referenceBinary} (plain-C reference) nor ${input.wasm3Binary} (native wasm3 harness) is built`);
  }
  const absent: Record<string, NotMeasured> = {};
  if (!hasC) absent[PLAIN_C] = notMeasured(`${input.referenceBinary} not built (firmware/reference)`);
  if (!hasWasm3) absent[WASM3_NATIVE] = notMeasured(`${input.wasm3Binary} not built (needs wasm3 sources from firmware.mk)`);
  const wasm3 = hasWasm3 ? new Wasm3StepBench(input.wasm3Binary, input.modulePath, input.scratch) : null;
  const gates: Gate[] = [];
  const rows: TimedRow[] = [];
  for (const qubits of input.qubits) {
    const spec = { qubits, layers: PEER_LAYERS };
    if (hasC) {
      const [first] = referenceSteps(input.referenceBinary, spec, 1);
      const mine = qiot.lossAndGradient(spec, referenceTheta(first.params));
      const norm = Math.hypot(...mine.gradient);
      const diff = Math.max(Math.abs(first.loss - mine.loss), Math.abs(first.grad_norm - norm));
      gates.push({
        check: `plain C vs qiot (Node), ${qubits} qubits: loss and ‖g‖ at the reference θ`,
        passed: diff <= GATE_TOLERANCE_F32,
        detail: `max difference ${diff.toExponential(2)} (tolerance ${GATE_TOLERANCE_F32})`,
      });
    }
    if (wasm3) {
      for (const shots of [0, 1000]) {
        const run = fullRun({ ...spec, shots, seed: GATE_SEED });
        const node = Buffer.from(qiot.telemetryAfter(run, 3)).toString('hex');
        const native = wasm3.stepsFromInit(run, 3).telemetry;
        gates.push({
          check: `wasm3 (native) vs Node, ${qubits} qubits, ${shots || 'exact'} shots: telemetry of step 3`,
          passed: native === node,
          detail: native === node ? '64 bytes identical' : `Node ${node} ≠ wasm3 ${native}`,
        });
      }
    }
    const failed = gates.filter((g) => !g.passed);
    if (failed.length > 0) {
      throw new Error(`native correctness gate failed: ${failed.map((g) => `${g.check}: ${g.detail}`).join('; ')}`);
    }
    const timers: Record<string, StepTimer> = { [QIOT_NODE]: qiot.stepTimer({ ...spec, shots: 0 }) };
    if (hasC) timers[PLAIN_C] = referenceTimer(input.referenceBinary, spec);
    if (wasm3) timers[WASM3_NATIVE] = wasm3.timer(fullRun({ ...spec, shots: 0 }));
    const samples = await interleave(timers, input.plan);
    const row = timedRow({ ...spec, params: 2 * spec.layers * qubits, shots: 0 }, samples, hasC ? PLAIN_C : QIOT_NODE, absent);
    if (hasC && wasm3) row.ratios[`${WASM3_NATIVE} / ${QIOT_NODE}`] = pairedRatio(samples[WASM3_NATIVE], samples[QIOT_NODE]);
    rows.push(row);
    input.log(`  native ${qubits} qubits: ` + Object.entries(row.ratios).map(([n, r]) => `${n} ${r.median.toFixed(2)}×`).join(', '));
  }
  return {
    measured: true,
    gates,
    rows,
    notes: [
      'Exact expectations only: the plain-C reference kernel has no shot sampling.',
      'Plain C: firmware/reference (f32 statevector, same circuit and parameter-shift SGD), gcc -O2, timed per step inside the process.',
      'wasm3: build/qiot.wasm run by firmware/core/runner.c (the boards\' embedding) natively, gcc -O2, one untimed step first (wasm3 compiles lazily).',
    ],
  };
}
