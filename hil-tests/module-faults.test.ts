// Modules the board must refuse or survive: one larger than a slot is refused at
// UPLOAD_BEGIN (UPLOAD_TOO_LARGE) and the previous module stays; the shape that crashed wasm3's
// compiler is refused at UPLOAD_COMMIT (MODULE_INVALID) by the module check; one whose step() traps gets
// ERROR MODULE_TRAP (seq 0) and DONE TRAP, and the board stays up: HELLO works, the good module
// is flashed again and trains bit-identically to Node. Over a gateway the same: the board's refusal
// codes and its trap report travel in the fleet's `flash` error and `train` summary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoardState, CONFIG_SIZE, DoneStatus, ErrorCode, PROTOCOL_VERSION } from '../host/src/protocol/constants.ts';
import { tinyModule } from '../host/testing/tiny-module.ts';
import { HilBoard } from './board.ts';
import { PROBE } from './capabilities.ts';
import { EXACT, withChanges } from './configs.ts';
import { oversizeModule, wasm3CrashModule } from './modules.ts';
import { boardRun, hex, nodeRun, readModule, sha256Hex } from './reference.ts';
import { TARGET } from './target.ts';

describe(`refused and trapping modules (${TARGET.name})`, () => {
  const good = readModule();
  const cfg = withChanges(EXACT, { steps: 3 });
  let board: HilBoard;
  beforeAll(async () => {
    board = await HilBoard.start();
    expect((await board.upload(good)).committed).toBe(true);
  });
  afterAll(() => board?.close());

  it(`a module of slot_size + 1 bytes (${PROBE.slotSize + 1}) is refused with UPLOAD_TOO_LARGE; the previous module stays`, async () => {
    const before = board.client.info;
    const upload = board.upload(oversizeModule(PROBE.slotSize));
    await expect(upload).rejects.toMatchObject({ code: ErrorCode.UPLOAD_TOO_LARGE });
    const info = await board.client.refreshInfo();
    expect(hex(info.moduleSha256)).toBe(sha256Hex(good));
    expect(info.activeSlot).toBe(before.activeSlot);
    const [node, run] = [await nodeRun(cfg), await boardRun(board.client, cfg)];
    expect(run.records).toEqual(node.records);
  });

  it('the wasm3 compiler-crash shape of issue 15 is refused as MODULE_INVALID before wasm3 sees it; the board stays healthy', async () => {
    const upload = board.upload(wasm3CrashModule());
    await expect(upload).rejects.toMatchObject({ code: ErrorCode.MODULE_INVALID });
    await expect(upload).rejects.toThrow(/invalid module at byte \d+: block type .*multi-value blocks are refused/);
    const info = await board.client.refreshInfo();
    expect(hex(info.moduleSha256)).toBe(sha256Hex(good));
    const [node, run] = [await nodeRun(cfg), await boardRun(board.client, cfg)];
    expect(run.records).toEqual(node.records);
  });

  it('a trapping step gives ERROR MODULE_TRAP and DONE TRAP; the board stays up and takes the good module back', async () => {
    const trapping = tinyModule({ trapInStep: true });
    expect((await board.upload(trapping)).committed).toBe(true);
    expect(hex(board.client.info.moduleSha256)).toBe(sha256Hex(trapping));
    await board.client.configure(new Uint8Array(CONFIG_SIZE), new Uint8Array(0));
    const telemetry: number[] = [];
    const run = await board.client.train(3, { onTelemetry: (t) => telemetry.push(t.tseq) });
    const end = await run.done;
    expect(end.status).toBe(DoneStatus.TRAP);
    expect(end.steps).toBe(0);
    expect(telemetry).toEqual([]);
    // TrainingRun collects only ERRORs with seq 0, the board's own: exactly the trap report.
    expect(end.errors).toHaveLength(1);
    // The board's text names the call and wasm3's trap (firmware/core/train.c).
    expect(end.errors[0]).toBe('MODULE_TRAP: step trapped: [trap] unreachable executed');
    expect([end.trainLoss, end.testLoss, end.testAccuracy].every(Number.isNaN)).toBe(true);

    const info = await board.client.refreshInfo();
    expect(info.protocolVersion).toBe(PROTOCOL_VERSION);
    expect((await board.client.status()).state).toBe(BoardState.IDLE);

    expect((await board.upload(good)).committed).toBe(true);
    expect(hex(board.client.info.moduleSha256)).toBe(sha256Hex(good));
    const [node, again] = [await nodeRun(cfg), await boardRun(board.client, cfg)];
    expect(again.records).toEqual(node.records);
    expect(again.end.status).toBe(DoneStatus.COMPLETED);
  });
});
