// Item 1: qiot's training step against the tools a user would pick instead —
// PennyLane (default.qubit, lightning.qubit) and jsqubits — on the same circuit,
// gradient and shot budget, after correctness gates that abort on disagreement.
// Not yet here (issue 14 item 5, a separate task): the exact-mode peers a user would pick —
// default.qubit under JAX jit, lightning.qubit with diff_method="adjoint", default.qubit
// backprop, Qiskit's statevector estimator — each against qiot's adjoint step (device build
// at 4–10 qubits, host build at 4–20). They would be further PennylaneDevice-like contenders
// (bench/contenders/, pinned in bench/requirements.txt), gated by compareGate like these.
import { gateAngles, hardwareEfficientGates, hardwareEfficientParamCount, type CircuitSpec } from '../circuit.ts';
import { GATE_SEED, GATE_TOLERANCE_F32, GATE_TOLERANCE_F64, PEER_LAYERS, PEER_SHOT_MODES, STEP_LR, type TimingPlan } from '../config.ts';
import { JSQUBITS_PEER, JSQUBITS_VERSION, type LossAndGradient } from '../contenders/jsqubits.ts';
import { JsqubitsProcess } from '../contenders/jsqubits-process.ts';
import { PennylaneWorker, pennylaneLossAndGradient, pennylaneStepTimer, type PennylaneDevice } from '../contenders/pennylane.ts';
import type { QiotNode } from '../contenders/qiot-node.ts';
import { notMeasured, type GateCheck, type NotMeasured, type TimedRow } from '../results-schema.ts';
import { shotsLabel, timedRow } from '../rows.ts';
import { interleave, type StepTimer } from '../timing.ts';
import type { z } from 'zod';
import type { PeersSection } from '../results-schema.ts';

/** jsqubits drops amplitudes below 1e-7 in magnitude, which moves probabilities by up to ~2e-7. */
const JSQUBITS_TOLERANCE = 1e-6;

export const QIOT_NODE = 'qiot (Node)';
export const peerName = (device: PennylaneDevice) => `PennyLane ${device}`;

export class GateFailure extends Error {}

export function compareGate(
  qubits: number,
  reference: string,
  ref: LossAndGradient,
  candidate: string,
  got: LossAndGradient,
  tolerance: number,
): GateCheck {
  if (ref.gradient.length !== got.gradient.length) {
    throw new GateFailure(
      `${candidate} returned ${got.gradient.length} derivatives, ${reference} ${ref.gradient.length} (${qubits} qubits)`,
    );
  }
  const lossDifference = Math.abs(ref.loss - got.loss);
  const maxGradientDifference = Math.max(...ref.gradient.map((g, j) => Math.abs(g - got.gradient[j])));
  const passed = lossDifference <= tolerance && maxGradientDifference <= tolerance;
  return { qubits, reference, candidate, lossDifference, maxGradientDifference, tolerance, passed };
}

/** Aborts the bench (no timing) when any check failed, naming each. */
export function throwIfFailed(checks: readonly GateCheck[]): void {
  const failed = checks.filter((c) => !c.passed);
  if (failed.length === 0) return;
  throw new GateFailure(
    failed
      .map(
        (c) =>
          `correctness gate failed at ${c.qubits} qubits: ${c.candidate} vs ${c.reference}: |Δloss| = ${c.lossDifference.toExponential(2)}, ` +
          `max |Δgrad| = ${c.maxGradientDifference.toExponential(2)} > ${c.tolerance}`,
      )
      .join('; '),
  );
}

export interface PeersInput {
  plan: TimingPlan;
  qubits: readonly number[];
  python: string;
  qiot: QiotNode | NotMeasured;
  log: (line: string) => void;
}

export async function measurePeers(input: PeersInput): Promise<z.infer<typeof PeersSection>> {
  const { plan, log } = input;
  if (!('lossAndGradient' in input.qiot)) return notMeasured(`qiot module unavailable: ${input.qiot.reason}`);
  const qiot = input.qiot;
  let worker: PennylaneWorker;
  try {
    worker = PennylaneWorker.start(input.python);
  } catch (e) {
    return notMeasured((e as Error).message);
  }
  const jsqubits = new JsqubitsProcess();
  try {
    const versions = await worker.versions();
    const devices: PennylaneDevice[] = versions.pennylane_lightning ? ['default.qubit', 'lightning.qubit'] : ['default.qubit'];
    const absent: Record<string, NotMeasured> = versions.pennylane_lightning
      ? {}
      : { [peerName('lightning.qubit')]: notMeasured('pennylane-lightning is not installed in the bench virtualenv') };
    const gates: GateCheck[] = [];
    const rows: TimedRow[] = [];
    for (const qubits of input.qubits) {
      const spec: CircuitSpec = { qubits, layers: PEER_LAYERS };
      const circuit = hardwareEfficientGates(spec);
      const theta = gateAngles(hardwareEfficientParamCount(spec), qubits);
      const reference = await pennylaneLossAndGradient(
        worker,
        { device: 'default.qubit', qubits, gates: circuit, shots: 0, seed: GATE_SEED },
        theta,
      );
      const checks = [
        compareGate(qubits, peerName('default.qubit'), reference, QIOT_NODE, qiot.lossAndGradient(spec, theta), GATE_TOLERANCE_F32),
      ];
      checks.push(
        compareGate(
          qubits,
          peerName('default.qubit'),
          reference,
          JSQUBITS_PEER,
          await jsqubits.lossAndGradient(spec, theta, GATE_SEED),
          JSQUBITS_TOLERANCE,
        ),
      );
      if (devices.includes('lightning.qubit')) {
        const lightning = await pennylaneLossAndGradient(
          worker,
          { device: 'lightning.qubit', qubits, gates: circuit, shots: 0, seed: GATE_SEED },
          theta,
        );
        checks.push(compareGate(qubits, peerName('default.qubit'), reference, peerName('lightning.qubit'), lightning, GATE_TOLERANCE_F64));
      }
      gates.push(...checks);
      throwIfFailed(checks);
      log(`  gates passed at ${qubits} qubits`);
      for (const shots of PEER_SHOT_MODES) {
        const timers: Record<string, StepTimer> = { [QIOT_NODE]: qiot.stepTimer({ ...spec, shots }) };
        timers[JSQUBITS_PEER] = jsqubits.stepTimer(spec, shots, GATE_SEED, theta, STEP_LR);
        for (const device of devices) {
          timers[peerName(device)] = pennylaneStepTimer(worker, { device, qubits, gates: circuit, shots, seed: GATE_SEED }, theta, STEP_LR);
        }
        const samples = await interleave(timers, plan);
        const row = timedRow({ ...spec, params: theta.length, shots }, samples, QIOT_NODE, absent);
        rows.push(row);
        log(
          `  ${qubits} qubits, ${shotsLabel(shots)}: ` +
            Object.entries(row.ratios)
              .map(([n, r]) => `${n} ${r.median.toFixed(1)}×`)
              .join(', '),
        );
      }
    }
    const notes = [
      'One training step = loss + parameter-shift gradient (1 + 2P circuit evaluations) + SGD update, for every contender.',
      'PennyLane: GradientDescentOptimizer.step_and_cost on a QNode with diff_method="parameter-shift" (autograd interface); shots via qml.set_shots.',
      "jsqubits evaluates the circuit (immutable sparse states) in a Node process of its own; loss, shift rule and update are the same few lines as qiot's; in sampled mode each evaluation draws Bernoulli(p) shots from p(q0 = 0), as qiot does.",
      'Why jsqubits: MIT, no dependencies, ESM, published 2025; quantum-circuit (MIT) is more featureful but pulls in mathjs and antlr4 for the same statevector work.',
      'Each contender runs in its own process (qiot in the harness process, jsqubits and PennyLane in workers) and times its own steps.',
      'Python peers run with one BLAS/OpenMP thread (qiot is single-threaded) and without OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE.',
    ];
    return { measured: true, versions: { ...versions, blas: versions.blas.join('; '), jsqubits: JSQUBITS_VERSION }, gates, rows, notes };
  } finally {
    await Promise.all([worker.close(), jsqubits.close()]);
  }
}
