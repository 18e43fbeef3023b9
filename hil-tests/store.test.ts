// The module store: an upload is verified by hash (INFO's sha256 is the file's), commits
// alternate between the A and B slots, and the committed module survives a power cycle
// (emulated: process killed and relaunched on the same store; real board: RESET) and trains
// bit-identically to Node afterwards (over a gateway: the fleet's `flash` and `confirm`, and its `reset`). Uploads here are confirmed at once (a module committed over
// another is on trial until then: watchdog.test.ts covers the revert).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DoneStatus, NO_SLOT } from '../host/src/protocol/constants.ts';
import { HilBoard } from './board.ts';
import { EXACT, withChanges } from './configs.ts';
import { UPLOAD_CUT } from './limits.ts';
import { variantModule } from './modules.ts';
import { boardRun, hex, nodeRun, readModule, sha256Hex } from './reference.ts';
import { TARGET } from './target.ts';

describe(`module store (${TARGET.name})`, () => {
  const module = readModule();
  const variant = variantModule(module, 'store', UPLOAD_CUT.paddingBytes);
  let board: HilBoard;
  beforeAll(async () => {
    board = await HilBoard.start();
  });
  afterAll(() => board?.close());

  it('an uploaded module is active with the sha256 and size of the file', async () => {
    const result = await board.upload(module);
    expect(result.committed).toBe(true);
    expect(hex(result.sha256)).toBe(sha256Hex(module));
    const info = await board.client.refreshInfo();
    expect(hex(info.moduleSha256)).toBe(sha256Hex(module));
    expect(info.moduleSize).toBe(module.length);
    expect(info.activeSlot).toBe(result.activeSlot);
    expect([0, 1]).toContain(info.activeSlot);
    expect(info.maxQubits).toBeGreaterThanOrEqual(EXACT.qubits);
  });

  it('commits alternate between the two slots', async () => {
    const first = board.client.info.activeSlot;
    expect(first).not.toBe(NO_SLOT);
    const slots = [first];
    for (const next of [variant, module, variant]) {
      const result = await board.upload(next, { confirm: true });
      expect(result.committed).toBe(true);
      const info = await board.client.refreshInfo();
      expect(hex(info.moduleSha256)).toBe(sha256Hex(next));
      expect(info.moduleSize).toBe(next.length);
      expect(info.boot?.pending).toBe(false);
      slots.push(info.activeSlot);
    }
    expect(slots).toEqual([first, 1 - first, first, 1 - first]);
  });

  it(`the active module survives a ${TARGET.emulated ? 'power cut' : 'RESET'} and still trains bit-identically to Node`, async () => {
    const before = board.client.info;
    expect(hex(before.moduleSha256)).toBe(sha256Hex(variant));
    const client = await board.powerCycle();
    const after = client.info;
    expect(hex(after.moduleSha256)).toBe(sha256Hex(variant));
    expect(after.activeSlot).toBe(before.activeSlot);
    expect(after.moduleSize).toBe(variant.length);

    const cfg = withChanges(EXACT, { steps: 3 });
    const [node, run] = [await nodeRun(cfg), await boardRun(client, cfg)];
    expect(run.records).toEqual(node.records);
    expect(run.end.status).toBe(DoneStatus.COMPLETED);
  });
});
