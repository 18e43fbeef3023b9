// Every device build × every gradient kind, exact and with shots (issue 14: bit-identical telemetry
// Node ↔ wasm3 ↔ rv32 for every build and gradient kind): the board runs the Q1.30 build
// (build/qiot.wasm) and the f32 build (build/qiot-f32.wasm) with the adjoint (exact only),
// parameter-shift and SPSA gradients, and each run's telemetry records and end-of-run evaluations
// equal the same build's in Node bit for bit. A few steps each: the long comparisons are in
// training.test.ts. The host build runs in Node only (wasm SIMD; runtime/builds.test.ts holds it
// bit-identical to the f32 device build). Not run behind a gateway: the fleet relays the same
// records and adds nothing to a module's arithmetic, and there the two flashes and ten runs cost
// ~90 s on rv32 (make test's fleet HIL, load ~12).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunConfig } from '../host/src/config/schema.ts';
import { DoneStatus } from '../host/src/protocol/constants.ts';
import { moduleBuildPath, type ModuleBuild } from '../host/src/wasm/builds.ts';
import { decodeTelemetry } from '../host/src/wasm/telemetry.ts';
import { HilBoard } from './board.ts';
import { describeIf } from './capabilities.ts';
import { EXACT, SAMPLED, withChanges } from './configs.ts';
import { boardRun, hex, nodeRun, sha256Hex } from './reference.ts';
import { TARGET } from './target.ts';

const STEPS = 3;
type Gradient = 'adjoint' | 'parameter-shift' | 'spsa';
/** Circuit evaluations of each gradient per sample (docs/abi.md; 12 parameters); a step adds the
 *  loss pass and gated NLR's trial pass, one each per sample. */
const GRADIENT_EVALS: Record<Gradient, number> = { adjoint: 1, 'parameter-shift': 2 * 12, spsa: 2 };

/** The suite's EXACT or SAMPLED run (3 qubits, gated NLR, a dataset) with the given gradient. */
const runConfig = (gradient: Gradient, shots: boolean): RunConfig => {
  const base = shots ? SAMPLED : EXACT;
  return withChanges(base, { optimizer: { ...base.optimizer, gradient }, steps: STEPS });
};

const CASES: [string, Gradient, boolean][] = [
  ['adjoint, exact', 'adjoint', false],
  ['parameter shift, exact', 'parameter-shift', false],
  ['parameter shift, 16 shots per evaluation', 'parameter-shift', true],
  ['SPSA, exact', 'spsa', false],
  ['SPSA, 16 shots per evaluation', 'spsa', true],
];

const skip = TARGET.fleetId
  ? `${TARGET.name} is behind a gateway: the builds are compared on this host's own link to the board (make hil)`
  : null;

// The Q1.30 build last, so the board is left with the module every other suite uploads.
describeIf(skip, `every device build and gradient kind on ${TARGET.name} vs Node`, () =>
  describe.each(['device-f32', 'device'] as ModuleBuild[])(`the %s build on ${TARGET.name} vs Node`, (build) => {
    const path = moduleBuildPath(build);
    const module = new Uint8Array(readFileSync(path));
    let board: HilBoard;
    beforeAll(async () => {
      board = await HilBoard.start();
      expect((await board.upload(module, { confirm: true })).committed).toBe(true);
      expect(hex(board.client.info.moduleSha256)).toBe(sha256Hex(module));
    });
    afterAll(() => board?.close());

    it.each(CASES)('%s: telemetry and end-of-run evaluations are bit-identical', async (_label, gradient, shots) => {
      const cfg = runConfig(gradient, shots);
      const node = await nodeRun(cfg, STEPS, undefined, path);
      const run = await boardRun(board.client, cfg, STEPS);
      // The run really used this gradient and readout: its circuit evaluations per step say so.
      const first = decodeTelemetry(Buffer.from(node.records[0], 'hex'));
      expect(first.evals).toBe(cfg.batch * (2 + GRADIENT_EVALS[gradient]));
      expect(first.shots > 0).toBe(shots);
      expect(node.records).toHaveLength(STEPS);
      expect(run.records).toEqual(node.records);
      expect(run.end.status).toBe(DoneStatus.COMPLETED);
      expect(Number(run.end.shotsTotal)).toBe(node.summary.shotsTotal);
      expect(run.end.trainLoss).toBe(node.summary.trainLoss);
      expect(run.end.testLoss).toBe(node.summary.testLoss);
      expect(run.end.testAccuracy).toBe(node.summary.testAccuracy);
    });
  }),
);
