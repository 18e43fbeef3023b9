// θ and RESET through the board's commands, on every target (behind a gateway: the fleet's
// params_get, params_set and reset): after a run, θ read from the board is Node's final θ bit
// for bit; θ written while idle reads back; RESET restarts the board with its module (confirmed
// by the run's steps, docs/reliability.md), θ is gone (BAD_STATE) and it trains bit-identically.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DoneStatus, ErrorCode } from '../host/src/protocol/constants.ts';
import { HilBoard } from './board.ts';
import { EXACT, withChanges } from './configs.ts';
import { TRAINING } from './limits.ts';
import { boardRun, hex, nodeRun, readModule, sha256Hex } from './reference.ts';
import { TARGET } from './target.ts';

/** PARAMS_WRITE keeps θ to the module's fixed-point resolution (Q1.30: ~1e-9), so read-backs agree to 8 decimals. */
const WRITE_DIGITS = 8;

describe(`params and reset (${TARGET.name})`, () => {
  const module = readModule();
  const cfg = withChanges(EXACT, { steps: TRAINING.identicalSteps });
  let board: HilBoard;
  beforeAll(async () => {
    board = await HilBoard.start();
    expect((await board.upload(module)).committed).toBe(true);
  });
  afterAll(() => board?.close());

  it('after a run, θ read from the board is Node’s final θ bit for bit', async () => {
    const [node, run] = [await nodeRun(cfg), await boardRun(board.client, cfg)];
    expect(run.records).toEqual(node.records);
    expect(Array.from(await board.client.readParams())).toEqual(Array.from(node.summary.params!));
  });

  it('θ written while idle reads back', async () => {
    const theta = Array.from(await board.client.readParams(), (v, i) => v + 0.125 * ((i % 3) - 1));
    await board.client.writeParams(theta);
    const back = await board.client.readParams();
    expect(back).toHaveLength(theta.length);
    for (const [i, v] of theta.entries()) expect(back[i]).toBeCloseTo(v, WRITE_DIGITS);
  });

  it('RESET: the board restarts with its module, θ is gone (BAD_STATE), and it trains bit-identically', async () => {
    // The run above took more than the trial's steps, so a reset keeps this module (no revert).
    expect((await board.client.refreshInfo()).boot?.pending ?? false).toBe(false);
    const client = await board.reset();
    expect(hex(client.info.moduleSha256)).toBe(sha256Hex(module));
    await expect(client.readParams()).rejects.toMatchObject({ code: ErrorCode.BAD_STATE });
    const short = withChanges(EXACT, { steps: 3 });
    const [node, run] = [await nodeRun(short), await boardRun(client, short)];
    expect(run.records).toEqual(node.records);
    expect(run.end.status).toBe(DoneStatus.COMPLETED);
  });
});
