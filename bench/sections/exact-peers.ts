// Issue 14: qiot's exact training step (adjoint gradient) against each tool's fastest exact
// gradient — PennyLane default.qubit under JAX jit and with autograd backprop, lightning.qubit
// adjoint, Qiskit's statevector estimator with ReverseEstimatorGradient — at 4–20 qubits, after
// correctness gates against lightning.qubit. Single-threaded throughout (qiot's step is single-
// threaded); a second table gives the multi-threaded peers at the large sizes.
import { cpus } from 'node:os';
import type { z } from 'zod';
import { moduleBuildPath } from '../../host/src/wasm/builds.ts';
import { gateAngles, hardwareEfficientGates, hardwareEfficientParamCount, type CircuitSpec } from '../circuit.ts';
import {
  DEVICE_MAX_QUBITS,
  EXACT_JAX_MAX_QUBITS,
  EXACT_STEP_CAP_SECONDS,
  GATE_TOLERANCE_F32,
  GATE_TOLERANCE_F64,
  GOALS,
  LARGE_PLAN,
  LARGE_PLAN_FROM_QUBITS,
  MULTI_THREAD_QUBITS,
  PEER_LAYERS,
  STEP_LR,
  type TimingPlan,
} from '../config.ts';
import {
  EXACT_METHODS,
  EXACT_PEER_NAMES,
  ExactPeersWorker,
  METHOD_PACKAGE,
  exactLossAndGradient,
  exactStepTimer,
  type ExactMethod,
} from '../contenders/exact-peers.ts';
import { loadQiotNode, type QiotNode } from '../contenders/qiot-node.ts';
import { notMeasured, type ExactPeersSection, type GateCheck, type NotMeasured, type Quantity, type TimedRow } from '../results-schema.ts';
import { timedRow } from '../rows.ts';
import { pairedRatio } from '../stats.ts';
import { interleave, type StepTimer } from '../timing.ts';
import { compareGate, throwIfFailed } from './peers.ts';

export const QIOT_DEVICE = 'qiot device build (Node, Q1.30, adjoint)';
export const QIOT_HOST = 'qiot host build (Node, f32 SIMD, adjoint)';
export const multiThreaded = (name: string, threads: number) => `${name}, ${threads} threads`;
export const overHost = (name: string) => `${name} / host build`;
const REFERENCE: ExactMethod = 'lightning';

export interface ExactPeersInput {
  plan: TimingPlan;
  qubits: readonly number[];
  python: string;
  deviceModule: string;
  log: (line: string) => void;
}

type Projection = { lastSeconds: number; lastQubits: number };

/** The peer (not a qiot build) with the fastest median step of a row, if any peer was timed. */
export function fastestPeer(row: TimedRow): string | undefined {
  const peers = Object.entries(row.timings).flatMap(([name, t]) =>
    t.measured && !name.startsWith('qiot') ? [{ name, median: t.median }] : [],
  );
  return peers.sort((a, b) => a.median - b.median)[0]?.name;
}

/** Why a contender is not timed at `qubits`, or null if it is: its step projected from the last size. */
export function overCap(last: Projection | undefined, qubits: number): NotMeasured | null {
  if (!last) return null;
  const projected = last.lastSeconds * 2 ** (qubits - last.lastQubits);
  if (projected <= EXACT_STEP_CAP_SECONDS) return null;
  return notMeasured(
    `projected ${projected.toFixed(1)} s per step (${(last.lastSeconds * 1e3).toPrecision(3)} ms at ${last.lastQubits} qubits, ×2 per qubit) > ${EXACT_STEP_CAP_SECONDS} s cap of make bench`,
  );
}

function loadOrReason(path: string): QiotNode | NotMeasured {
  try {
    return loadQiotNode(path);
  } catch (e) {
    return notMeasured(`${path}: ${(e as Error).message} (make runtime)`);
  }
}

function ratioQuantity(numerator: number[], denominator: number[], source: string, goal: string, met: (r: number) => boolean): Quantity {
  const r = pairedRatio(numerator, denominator);
  return {
    measured: true,
    value: r.median,
    unit: '×',
    goal,
    met: met(r.median),
    source: `${source}; paired median, 95 % CI [${r.low.toFixed(2)}, ${r.high.toFixed(2)}]`,
  };
}

export async function measureExactPeers(input: ExactPeersInput): Promise<z.infer<typeof ExactPeersSection>> {
  const { log } = input;
  const device = loadOrReason(input.deviceModule);
  const host = loadOrReason(moduleBuildPath('host'));
  if (!('lossAndGradient' in host)) return notMeasured(`host build unavailable: ${host.reason}`);
  const threads = cpus().length;
  let single: ExactPeersWorker;
  let multi: ExactPeersWorker;
  try {
    single = ExactPeersWorker.start(input.python, 1);
    multi = ExactPeersWorker.start(input.python, threads);
  } catch (e) {
    return notMeasured((e as Error).message);
  }
  try {
    const versions = await single.versions();
    const methods = EXACT_METHODS.filter((m) => versions[METHOD_PACKAGE[m]]);
    const missing = Object.fromEntries(
      EXACT_METHODS.filter((m) => !methods.includes(m)).map((m) => [
        EXACT_PEER_NAMES[m],
        notMeasured(`${METHOD_PACKAGE[m]} is not installed in the bench virtualenv (make bench-venv-exact)`),
      ]),
    );
    if (!methods.includes(REFERENCE)) return notMeasured('pennylane-lightning (the gates’ reference) is not installed');
    const gates: GateCheck[] = [];
    const rows: TimedRow[] = [];
    const multiRows: TimedRow[] = [];
    const goals: Record<string, Quantity> = {};
    const compileSeconds: string[] = [];
    const last: Record<string, Projection> = {};
    for (const qubits of input.qubits) {
      const spec: CircuitSpec = { qubits, layers: PEER_LAYERS };
      const circuit = hardwareEfficientGates(spec);
      const theta = gateAngles(hardwareEfficientParamCount(spec), qubits);
      const absent: Record<string, NotMeasured> = { ...missing };
      const timed = methods.filter((m) => {
        const why =
          m === 'jax' && qubits > EXACT_JAX_MAX_QUBITS
            ? notMeasured(
                `not timed above ${EXACT_JAX_MAX_QUBITS} qubits: jit compile time (bench/config.ts EXACT_JAX_MAX_QUBITS; this run's compile times in the notes)`,
              )
            : m === REFERENCE
              ? null
              : overCap(last[EXACT_PEER_NAMES[m]], qubits);
        if (why) absent[EXACT_PEER_NAMES[m]] = why;
        return !why;
      });
      const withDevice = qubits <= DEVICE_MAX_QUBITS && 'lossAndGradient' in device;
      if (!withDevice)
        absent[QIOT_DEVICE] = notMeasured(
          'lossAndGradient' in device ? `the device build stops at ${DEVICE_MAX_QUBITS} qubits` : device.reason,
        );

      const at = (method: ExactMethod) => ({ method, qubits, gates: circuit });
      const reference = await exactLossAndGradient(single, at(REFERENCE), theta);
      const refName = EXACT_PEER_NAMES[REFERENCE];
      const checks: GateCheck[] = [];
      for (const method of timed.filter((m) => m !== REFERENCE)) {
        const got = await exactLossAndGradient(single, at(method), theta);
        if (got.compile_seconds) compileSeconds.push(`${qubits} qubits: ${got.compile_seconds.toFixed(1)} s`);
        checks.push(compareGate(qubits, refName, reference, EXACT_PEER_NAMES[method], got, GATE_TOLERANCE_F64));
      }
      if (withDevice)
        checks.push(
          compareGate(qubits, refName, reference, QIOT_DEVICE, device.lossAndGradient(spec, theta, 'adjoint'), GATE_TOLERANCE_F32),
        );
      checks.push(compareGate(qubits, refName, reference, QIOT_HOST, host.lossAndGradient(spec, theta, 'adjoint'), GATE_TOLERANCE_F32));
      gates.push(...checks);
      throwIfFailed(checks);
      log(`  exact gates passed at ${qubits} qubits`);

      const plan = qubits >= LARGE_PLAN_FROM_QUBITS ? LARGE_PLAN : input.plan;
      const timers: Record<string, StepTimer> = {};
      if (withDevice) timers[QIOT_DEVICE] = device.stepTimer({ ...spec, shots: 0, gradient: 'adjoint' });
      timers[QIOT_HOST] = host.stepTimer({ ...spec, shots: 0, gradient: 'adjoint' });
      for (const method of timed) timers[EXACT_PEER_NAMES[method]] = exactStepTimer(single, at(method), theta, STEP_LR);
      const samples = await interleave(timers, plan);
      const row = timedRow({ ...spec, params: theta.length, shots: 0 }, samples, withDevice ? QIOT_DEVICE : QIOT_HOST, absent);
      for (const method of timed) {
        const name = EXACT_PEER_NAMES[method];
        row.ratios[overHost(name)] = pairedRatio(samples[name], samples[QIOT_HOST]);
        const t = row.timings[name];
        if (t?.measured) last[name] = { lastSeconds: t.median, lastQubits: qubits };
      }
      rows.push(row);
      const source = `${qubits} qubits × ${PEER_LAYERS} layers, exact, one thread each`;
      const fastest = fastestPeer(row);
      if (withDevice && fastest) {
        goals[`fastest peer (${fastest}) / qiot device build (Node), ${qubits} qubits`] = ratioQuantity(
          samples[fastest],
          samples[QIOT_DEVICE],
          source,
          `≥ ${GOALS.nodeOverFastestPeer}× (qiot faster)`,
          (r) => r >= GOALS.nodeOverFastestPeer,
        );
      }
      if (qubits >= GOALS.hostVsLightningFromQubits) {
        goals[`lightning.qubit adjoint / qiot host build, ${qubits} qubits, single thread`] = ratioQuantity(
          samples[refName],
          samples[QIOT_HOST],
          source,
          '> 1× (qiot faster)',
          (r) => r > 1,
        );
      }
      log(
        `  exact ${qubits} qubits: ` +
          Object.entries(row.ratios)
            .map(([n, r]) => `${n} ${r.median.toFixed(2)}×`)
            .join(', '),
      );

      if ((MULTI_THREAD_QUBITS as readonly number[]).includes(qubits)) {
        const multiTimers: Record<string, StepTimer> = { [QIOT_HOST]: host.stepTimer({ ...spec, shots: 0, gradient: 'adjoint' }) };
        const multiAbsent: Record<string, NotMeasured> = {};
        for (const method of ['jax', 'lightning'] as const) {
          const name = multiThreaded(EXACT_PEER_NAMES[method], threads);
          if (timed.includes(method)) multiTimers[name] = exactStepTimer(multi, at(method), theta, STEP_LR);
          else multiAbsent[name] = absent[EXACT_PEER_NAMES[method]] ?? notMeasured('not timed single-threaded at this size');
        }
        multiRows.push(
          timedRow({ ...spec, params: theta.length, shots: 0 }, await interleave(multiTimers, LARGE_PLAN), QIOT_HOST, multiAbsent),
        );
      }
    }
    const notes = [
      'One training step = loss and exact gradient at θ + an SGD update of θ, for every contender; each keeps its θ between samples.',
      `qiot: the adjoint gradient (docs/abi.md "Gradients"); device build = build/qiot.wasm (Q1.30, ≤ ${DEVICE_MAX_QUBITS} qubits), host build = build/qiot-host.wasm (f32 amplitudes, f32x4 SIMD rotations); one thread (a step is never split across threads).`,
      'PennyLane default.qubit + JAX jit: interface="jax", diff_method="backprop", float64 (jax_enable_x64, as PennyLane recommends); jax.jit(jax.value_and_grad(cost)) compiled once per size (in the correctness gate, untimed), then θ ← θ − lr·g as a jax.numpy expression.',
      'PennyLane default.qubit backprop uses the autograd interface; lightning.qubit uses diff_method="adjoint"; both step with GradientDescentOptimizer.step_and_cost.',
      'Qiskit: the loss from qiskit.primitives.StatevectorEstimator and the gradient from qiskit_algorithms.gradients.ReverseEstimatorGradient (reverse mode on a statevector, exact) — Qiskit’s exact gradient without 2P extra circuits; θ updated with numpy.',
      `Single thread: the peers’ worker runs with OMP_NUM_THREADS=1, OPENBLAS_NUM_THREADS=1 and XLA_FLAGS="--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1". Multi-thread table: a second worker with ${threads} OpenMP/BLAS threads and XLA's default pool (this machine has ${threads} cores, shared).`,
      `Gates: every contender's loss and gradient at the same θ against lightning.qubit adjoint (f64 peers within ${GATE_TOLERANCE_F64}, qiot within ${GATE_TOLERANCE_F32}) before any timing.`,
      `Rounds: ${input.plan.rounds} below ${LARGE_PLAN_FROM_QUBITS} qubits, ${LARGE_PLAN.rounds} from ${LARGE_PLAN_FROM_QUBITS} on; a peer is not timed where its step, projected ×2 per qubit from the last size, would exceed ${EXACT_STEP_CAP_SECONDS} s.`,
    ];
    if (compileSeconds.length > 0) notes.push(`JAX jit compile time (once per size, not in the step times): ${compileSeconds.join(', ')}.`);
    return { measured: true, versions, gates, rows, multiThreadRows: multiRows, goals, notes };
  } finally {
    await Promise.all([single.close(), multi.close()]);
  }
}
