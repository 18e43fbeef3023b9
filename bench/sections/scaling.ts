// Item 6: how qiot's step cost grows with the qubits (2^n amplitudes per gate)
// and with the parameters (2P + 1 evaluations for parameter shift, a constant
// number for SPSA). qiot in Node, all sizes interleaved in one set of rounds.
import type { z } from 'zod';
import { decodeTelemetry } from '../../host/src/wasm/telemetry.ts';
import { linearFit } from '../../host/src/stats/regression.ts';
import { hardwareEfficientGates, hardwareEfficientParamCount, type CircuitSpec } from '../circuit.ts';
import { GATE_SEED, type TimingPlan } from '../config.ts';
import { fullRun, type QiotNode } from '../contenders/qiot-node.ts';
import { notMeasured, type NotMeasured, type ScalingSection, type TimedRow } from '../results-schema.ts';
import { timedRow } from '../rows.ts';
import { interleave, type StepTimer } from '../timing.ts';

export const PARAMETER_SHIFT = 'parameter shift';
export const SPSA = 'SPSA';
/** Per-gate cost is fitted only where the statevector dominates fixed per-call overhead. */
const PER_GATE_FIT_FROM_QUBITS = 6;

export interface ScalingInput {
  plan: TimingPlan;
  qubits: readonly number[];
  qubitsLayers: number;
  layers: readonly number[];
  layersQubits: number;
  qiot: QiotNode | NotMeasured;
  log: (line: string) => void;
}

/** Gate applications in one circuit evaluation. */
export function gatesPerCircuit(spec: CircuitSpec): number {
  return hardwareEfficientGates(spec).length;
}

function evalsPerStep(qiot: QiotNode, spec: CircuitSpec, gradient: 'parameter-shift' | 'spsa'): number {
  return decodeTelemetry(qiot.telemetryAfter(fullRun({ ...spec, shots: 0, gradient, seed: GATE_SEED }), 1)).evals;
}

export async function measureScaling(input: ScalingInput): Promise<z.infer<typeof ScalingSection>> {
  if (!('lossAndGradient' in input.qiot)) return notMeasured(`qiot module unavailable: ${input.qiot.reason}`);
  const qiot = input.qiot;
  const timers: Record<string, StepTimer> = {};
  for (const qubits of input.qubits) timers[`q${qubits}`] = qiot.stepTimer({ qubits, layers: input.qubitsLayers, shots: 0 });
  for (const layers of input.layers) {
    const spec = { qubits: input.layersQubits, layers };
    timers[`ps${layers}`] = qiot.stepTimer({ ...spec, shots: 0 });
    timers[`spsa${layers}`] = qiot.stepTimer({ ...spec, shots: 0, gradient: 'spsa' });
  }
  const samples = await interleave(timers, input.plan);

  const byQubits: TimedRow[] = input.qubits.map((qubits) => {
    const spec = { qubits, layers: input.qubitsLayers };
    const row = timedRow(
      { ...spec, params: hardwareEfficientParamCount(spec), shots: 0 },
      { [PARAMETER_SHIFT]: samples[`q${qubits}`] },
      PARAMETER_SHIFT,
    );
    return row;
  });
  const byParams: TimedRow[] = input.layers.map((layers) => {
    const spec = { qubits: input.layersQubits, layers };
    return timedRow(
      { ...spec, params: hardwareEfficientParamCount(spec), shots: 0 },
      { [SPSA]: samples[`spsa${layers}`], [PARAMETER_SHIFT]: samples[`ps${layers}`] },
      SPSA,
    );
  });

  const fits: Record<string, { slope: number; low: number; high: number; meaning: string }> = {};
  const notes: string[] = [];
  const perGate = byQubits.filter((r) => r.qubits >= PER_GATE_FIT_FROM_QUBITS);
  if (perGate.length >= 3) {
    const y = perGate.map((r) => {
      const spec = { qubits: r.qubits, layers: r.layers };
      const t = r.timings[PARAMETER_SHIFT];
      if (!t.measured) throw new Error('scaling: parameter-shift timing missing');
      return Math.log2(t.median / (evalsPerStep(qiot, spec, 'parameter-shift') * gatesPerCircuit(spec)));
    });
    const fit = linearFit(
      perGate.map((r) => r.qubits),
      y,
    );
    fits.perGateVsQubits = {
      slope: fit.slope,
      low: fit.slopeCI[0],
      high: fit.slopeCI[1],
      meaning: `log2(seconds per gate application) per added qubit, n ≥ ${PER_GATE_FIT_FROM_QUBITS}; 1 = doubling per qubit (2^n amplitudes)`,
    };
  } else {
    notes.push(`per-gate fit needs ≥ 3 sizes with n ≥ ${PER_GATE_FIT_FROM_QUBITS}; this run has ${perGate.length}`);
  }
  if (byParams.length >= 3) {
    for (const [name, key] of [
      [PARAMETER_SHIFT, 'parameterShiftVsParams'],
      [SPSA, 'spsaVsParams'],
    ] as const) {
      const x = byParams.map((r) => Math.log2(r.params));
      const y = byParams.map((r) => {
        const t = r.timings[name];
        if (!t.measured) throw new Error(`scaling: ${name} timing missing`);
        return Math.log2(t.median);
      });
      const fit = linearFit(x, y);
      fits[key] = {
        slope: fit.slope,
        low: fit.slopeCI[0],
        high: fit.slopeCI[1],
        meaning: `${name}: log-log slope of step time against P at ${input.layersQubits} qubits (P grows with depth, so each evaluation also grows ∝ P)`,
      };
    }
  }
  for (const gradient of ['parameter-shift', 'spsa'] as const) {
    const counts = input.layers.map((layers) => `${evalsPerStep(qiot, { qubits: input.layersQubits, layers }, gradient)}`);
    notes.push(
      `${gradient === 'spsa' ? SPSA : PARAMETER_SHIFT}: circuit evaluations per step (telemetry) at L = ${input.layers.join(', ')}: ${counts.join(', ')}`,
    );
  }
  input.log(
    `  scaling: ${Object.entries(fits)
      .map(([k, f]) => `${k} ${f.slope.toFixed(2)}`)
      .join(', ')}`,
  );
  return { measured: true, byQubits, byParams, fits, notes };
}
