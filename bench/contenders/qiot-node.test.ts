// Runs against build/qiot.wasm, which `make test-unit` builds first.
import { describe, expect, it } from 'vitest';
import { decodeTelemetry } from '../../host/src/wasm/telemetry.ts';
import { DEFAULT_MODULE_PATH } from '../../host/src/wasm/module.ts';
import { gateAngles, hardwareEfficientParamCount } from '../circuit.ts';
import { GATE_TOLERANCE_F32 } from '../config.ts';
import { JsqubitsTrainer } from './jsqubits.ts';
import { fullRun, loadQiotNode } from './qiot-node.ts';

describe('qiot in Node as a bench contender', () => {
  const qiot = loadQiotNode(DEFAULT_MODULE_PATH);

  it('loss and gradient at given θ agree with jsqubits (an independent f64 simulator)', () => {
    const spec = { qubits: 3, layers: 2 };
    const theta = gateAngles(hardwareEfficientParamCount(spec), 2);
    const mine = qiot.lossAndGradient(spec, theta);
    const other = new JsqubitsTrainer(spec, 0, 1).lossAndGradient(theta);
    expect(Math.abs(mine.loss - other.loss)).toBeLessThan(GATE_TOLERANCE_F32);
    mine.gradient.forEach((g, j) => {
      expect(Math.abs(g - other.gradient[j])).toBeLessThan(GATE_TOLERANCE_F32);
    });
  });

  it('a timed step is a full parameter-shift step: 1 + 2P evaluations, shots charged when sampling', async () => {
    const spec = { qubits: 2, layers: 1 };
    const record = decodeTelemetry(qiot.telemetryAfter(fullRun({ ...spec, shots: 1000 }), 2));
    expect(record.step).toBe(2);
    expect(record.evals).toBe(1 + 2 * hardwareEfficientParamCount(spec));
    expect(Number(record.shots)).toBe(1000 * record.evals);
    const sample = await qiot.stepTimer({ ...spec, shots: 0 }).timeSteps(0.005, 1000);
    expect(sample.steps).toBeGreaterThan(0);
    expect(sample.seconds).toBeGreaterThan(0);
  });
});
