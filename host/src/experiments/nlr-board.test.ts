// The NLR experiment's numbers are what a board computes: a few steps of each
// contender in the experiment's synthetic-task configuration, run through the
// experiment's own session and on the posix board (wasm3), give byte-identical
// telemetry records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoardTarget } from '../device/board-target.ts';
import { readModule, startBoard, type BoardSession } from '../../testing/harness.ts';
import { runTraining } from '../train/run.ts';
import { NLR_TASKS, nlrRunConfig } from './nlr-design.ts';
import { openSession } from './session.ts';
import { runTrajectory } from './trajectory.ts';

const STEPS = 4;

describe('NLR experiment configuration on the posix board', () => {
  let board: BoardSession;
  beforeAll(async () => {
    board = await startBoard();
    expect((await board.client.upload(readModule())).committed).toBe(true);
  });
  afterAll(() => board?.close());

  it.each([
    ['nlr-gated', 'class-sq'],
    ['nlr-gated', 'class-xent'],
    ['nlr-stochastic', 'class-sq'],
    ['nlr-patience', 'class-sq'],
    ['sgd', 'class-sq'],
    ['adam', 'class-sq'],
    ['spsa', 'class-sq'],
  ] as const)('%s, %s: the experiment session and the board agree byte for byte', async (contender, loss) => {
    const config = nlrRunConfig(NLR_TASKS.synthetic, contender, 0.1, 1, 1, STEPS, loss);
    const session = await openSession(config);
    const local = runTrajectory(session, STEPS).steps.map((s) => Buffer.from(s.raw).toString('hex'));
    const onBoard = await runTraining(new BoardTarget(board.client), config, { qiotVersion: 'test', sinks: [] });
    expect(local).toHaveLength(STEPS);
    expect(onBoard.steps.map((s) => s.raw)).toEqual(local); // run-log step records carry the raw bytes as hex
    expect(onBoard.summary.train_loss).toBe(session.evaluate(0));
  });
});
