// Training on the board against the module in Node (V8): the 64-byte telemetry records are
// bit-identical for the same config and seed, exact and sampled; TRAIN_STOP takes effect within
// one step; the shot budget ends a run where Node's ends it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT } from '../host/src/device/limits.ts';
import { BoardState, DoneStatus, MessageType } from '../host/src/protocol/constants.ts';
import type { TelemetryMessage } from '../host/src/protocol/payloads.generated.ts';
import { PHASE } from '../host/src/wasm/abi.ts';
import { decodeTelemetry } from '../host/src/wasm/telemetry.ts';
import { HilBoard } from './board.ts';
import { itNeeding } from './capabilities.ts';
import { EXACT, SAMPLED, withChanges } from './configs.ts';
import { TRAINING } from './limits.ts';
import { boardRun, encodeRun, hex, nodeRun, readModule } from './reference.ts';
import { scaled, TARGET } from './target.ts';

describe(`training on ${TARGET.name} vs the module in Node`, () => {
  let board: HilBoard;
  beforeAll(async () => {
    board = await HilBoard.start();
    expect((await board.upload(readModule())).committed).toBe(true);
  });
  afterAll(() => board?.close());

  it.each([
    ['exact', EXACT, false],
    ['sampled (16 shots per evaluation), with NLR ascents', SAMPLED, true],
  ])('%s: telemetry records and end-of-run evaluations are bit-identical', async (_label, cfg, ascends) => {
    const steps = TRAINING.identicalSteps;
    const node = await nodeRun(cfg, steps);
    const run = await boardRun(board.client, cfg, steps);
    expect(node.records).toHaveLength(steps);
    // Which NLR branches the comparison covers: the ascent (negative phase) only where stated.
    const phases = node.records.map((r) => decodeTelemetry(Buffer.from(r, 'hex')).phase);
    expect(phases.includes(PHASE.negative)).toBe(ascends);
    expect(run.records).toEqual(node.records);
    expect(run.gaps).toEqual([]);
    expect(run.end.status).toBe(DoneStatus.COMPLETED);
    expect(run.end.steps).toBe(steps);
    expect(Number(run.end.shotsTotal)).toBe(node.summary.shotsTotal);
    expect(run.end.trainLoss).toBe(node.summary.trainLoss);
    expect(run.end.testLoss).toBe(node.summary.testLoss);
    expect(run.end.testAccuracy).toBe(node.summary.testAccuracy);
    expect(node.summary.shotsTotal > 0).toBe(cfg.shots.per_eval > 0);
  });

  it('a run started from θ sent with TRAIN_START (the layerwise schedule) is bit-identical to Node’s from that θ', async () => {
    const cfg = withChanges(EXACT, { init: 'host' });
    const theta = Array.from({ length: 12 }, (_, j) => 0.1 * (j + 1) - 0.55);
    const steps = TRAINING.identicalSteps;
    const node = await nodeRun(cfg, steps, theta);
    const run = await boardRun(board.client, cfg, steps, theta);
    expect(run.records).toEqual(node.records);
    expect(run.end.status).toBe(DoneStatus.COMPLETED);
    expect(run.end.trainLoss).toBe(node.summary.trainLoss);
    // From zeros (param_init host without θ) the run is a different one: the θ really arrived.
    expect((await nodeRun(cfg, steps)).records).not.toEqual(node.records);
  });

  it('STOP ends an endless run: DONE STOPPED after exactly the records delivered, a prefix of Node’s run; the board is idle', async () => {
    const { config, dataset } = encodeRun(EXACT);
    await board.client.configure(config, dataset);
    const frames: TelemetryMessage[] = [];
    const gaps: Array<[number, number]> = [];
    let stopped: Promise<void> | null = null;
    const run = await board.client.train(0, {
      onTelemetry: (f) => {
        frames.push(f);
        if (frames.length === TRAINING.stopAfterFrames) stopped = board.client.stop();
      },
      onGap: (from, to) => gaps.push([from, to]),
    });
    const end = await run.done;
    expect(stopped, 'the run ended before STOP was sent').not.toBeNull();
    await stopped;
    expect(end.status).toBe(DoneStatus.STOPPED);
    expect(gaps).toEqual([]);
    expect(end.steps).toBe(frames.length);
    expect(frames.map((f) => f.tseq)).toEqual(frames.map((_, i) => frames[0].tseq + i));
    const node = await nodeRun(EXACT, frames.length);
    expect(frames.map((f) => hex(f.record))).toEqual(node.records);
    expect((await board.client.status()).state).toBe(BoardState.IDLE);
  });

  itNeeding(['frames'], 'TRAIN_STOP ends the run within one step: at most one TELEMETRY after its OK, then DONE STOPPED', async () => {
    const { config, dataset } = encodeRun(EXACT);
    await board.serial.configure(config, dataset);
    // Counted in the link's own frame order, so the position of the OK among the TELEMETRY frames is exact.
    let telemetrySeen = 0;
    let telemetryAtOk = -1;
    const countTelemetry = board.serial.link.onFrame((f) => {
      if (f.type === MessageType.TELEMETRY && f.seq === 0) telemetrySeen++;
    });
    const frames: TelemetryMessage[] = [];
    let enough!: () => void;
    const started = new Promise<void>((resolve) => (enough = resolve));
    try {
      const run = await board.serial.train(0, {
        onTelemetry: (f) => {
          frames.push(f);
          if (frames.length === TRAINING.stopAfterFrames) enough();
        },
      });
      await started;
      await board.serial.link.request(MessageType.TRAIN_STOP, undefined, {
        timeoutMs: scaled(CLIENT.stopTimeoutMs),
        onIntermediate: (f) => {
          if (f.type === MessageType.OK) telemetryAtOk = telemetrySeen;
          return false;
        },
      });
      const end = await run.done;
      expect(telemetryAtOk).toBeGreaterThanOrEqual(TRAINING.stopAfterFrames);
      expect(telemetrySeen - telemetryAtOk).toBeLessThanOrEqual(1);
      expect(end.status).toBe(DoneStatus.STOPPED);
      expect(end.steps).toBe(telemetrySeen);
      expect(frames).toHaveLength(telemetrySeen);
    } finally {
      countTelemetry();
    }
    // The stopped run is a prefix of Node's run, and the board is idle again.
    const node = await nodeRun(EXACT, frames.length);
    expect(frames.map((f) => hex(f.record))).toEqual(node.records);
    expect((await board.client.status()).state).toBe(BoardState.IDLE);
  });

  it('the shot budget ends the run with DONE BUDGET_EXHAUSTED after the same steps as Node', async () => {
    const perStep = decodeTelemetry(Buffer.from((await nodeRun(SAMPLED, 1)).records[0], 'hex')).shots;
    expect(perStep).toBeGreaterThan(0);
    const budget = Math.floor(TRAINING.budgetSteps * perStep);
    const cfg = withChanges(SAMPLED, { shots: { per_eval: SAMPLED.shots.per_eval, budget }, steps: 0 });
    const node = await nodeRun(cfg, 0);
    const run = await boardRun(board.client, cfg, 0);
    // docs/abi.md: a step runs only if its whole cost fits the remaining budget.
    const fittingSteps = Math.floor(budget / perStep);
    expect(node.summary.status).toBe('budget_exhausted');
    expect(node.records).toHaveLength(fittingSteps);
    expect(run.records).toEqual(node.records);
    expect(run.end.status).toBe(DoneStatus.BUDGET_EXHAUSTED);
    expect(run.end.steps).toBe(fittingSteps);
    const shotsTotal = Number(run.end.shotsTotal);
    expect(shotsTotal).toBe(fittingSteps * perStep);
    expect(shotsTotal).toBeLessThanOrEqual(budget);
    expect(shotsTotal + perStep).toBeGreaterThan(budget);
  });
});
