// Never deaf (issue 15): the posix board runs a step in slices and serves its link
// between them. One step of this config (10 qubits, 12 layers = 240 parameters,
// parameter shift over a batch of 32: ~15 000 circuits, 162 s measured on a loaded posix host)
// is still under way while HELLO and STATUS are answered and STOP ends the run —
// checked by round trips and step counts, not by clock readings. A board that ran
// the step whole would answer none of them before the step ended (request timeouts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeConfig } from '../config/encode.ts';
import { parseConfig } from '../config/load.ts';
import { loadDataset } from '../data/load.ts';
import { packDataset } from '../data/pack.ts';
import { BoardState, DoneStatus } from '../protocol/constants.ts';
import { readModule, startBoard, type BoardSession } from '../../testing/harness.ts';

const LONG_STEP = parseConfig({
  qubits: 10,
  layers: 12,
  ansatz: 'hea',
  cost: 'class-sq',
  dataset: { name: 'synthetic', samples: 40, features: 10, separation: 3, test_fraction: 0.2 },
  optimizer: { name: 'sgd', lr: 0.1, gradient: 'parameter-shift' },
  batch: 32,
  steps: 0,
  seed: 1,
});

describe('posix board during a long step', () => {
  let session: BoardSession;
  beforeAll(async () => {
    session = await startBoard();
    expect((await session.client.upload(readModule())).committed).toBe(true);
  });
  afterAll(() => session?.close());

  it('answers HELLO and STATUS, and STOP ends the run before the step reports', async () => {
    const dataset = loadDataset(LONG_STEP);
    await session.client.configure(encodeConfig(LONG_STEP, dataset), dataset ? packDataset(dataset) : new Uint8Array(0));
    const before = await session.client.status();
    const records: number[] = [];
    const run = await session.client.train(0, { onTelemetry: (f) => records.push(f.tseq) });
    for (let i = 0; i < 5; i++) {
      const info = await session.client.refreshInfo();
      expect(info.protocolVersion).toBe(1);
      const status = await session.client.status();
      expect(status.state).toBe(BoardState.TRAINING);
      expect(status.nextTseq).toBe(before.nextTseq); // the first step has not ended
    }
    await session.client.stop();
    const end = await run.done;
    expect(end.status).toBe(DoneStatus.STOPPED);
    expect(end.steps).toBe(0);
    expect(records).toEqual([]);
    const after = await session.client.status();
    expect(after.state).toBe(BoardState.IDLE);
    expect(after.nextTseq).toBe(before.nextTseq);
  }, 120_000);
});
