// The module store under faults, on the real posix board with a state file:
// a power cut mid-upload, a module of another ABI, a module that traps.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DeviceUnreachableError, BoardError } from '../device/errors.ts';
import { sha256 } from '../device/upload.ts';
import { DoneStatus, ErrorCode } from '../protocol/constants.ts';
import { readModule, scratchDir, startBoard, type BoardSession } from '../../testing/harness.ts';
import { tinyModule, variantModule } from '../../testing/tiny-module.ts';
import { CONFIG_SIZE } from '../wasm/abi.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('posix board: upload killed halfway', () => {
  const scratch = scratchDir();
  const state = join(scratch.dir, 'board.state');
  let session: BoardSession | null = null;
  afterEach(async () => {
    await session?.close();
    session = null;
  });
  afterAll(() => scratch.remove());

  it('keeps the previous module active, and a fresh upload then succeeds', async () => {
    const first = readModule();
    const second = variantModule(first, 'e2e-padding', 12_000);
    expect(WebAssembly.validate(second)).toBe(true);

    session = await startBoard({ state });
    const committed = await session.client.upload(first);
    expect(hex(committed.sha256)).toBe(hex(sha256(first)));
    const activeSlot = session.client.info.activeSlot;

    const victim = session;
    let killedAt = -1;
    const upload = victim.client.upload(second, {
      onProgress: (acknowledged, total) => {
        if (killedAt < 0 && acknowledged >= total / 2) {
          killedAt = acknowledged;
          victim.board.kill('SIGKILL');
        }
      },
    });
    await expect(upload).rejects.toThrow(DeviceUnreachableError);
    expect(killedAt).toBeGreaterThan(0);
    expect(killedAt).toBeLessThan(second.length);
    await victim.close();

    session = await startBoard({ state });
    expect(hex(session.client.info.moduleSha256)).toBe(hex(sha256(first)));
    expect(session.client.info.activeSlot).toBe(activeSlot);

    const again = await session.client.upload(second);
    expect(again.committed).toBe(true);
    expect(again.resumedFrom).toBeLessThanOrEqual(killedAt);
    expect(hex(session.client.info.moduleSha256)).toBe(hex(sha256(second)));
    expect(session.client.info.activeSlot).not.toBe(activeSlot);
    expect(session.client.info.moduleSize).toBe(second.length);
  });
});

describe('posix board: refused and trapping modules', () => {
  let session: BoardSession;
  beforeAll(async () => {
    session = await startBoard();
    await session.client.upload(readModule());
  });
  afterAll(() => session?.close());

  it('refuses a module of another ABI version at commit and keeps the previous one', async () => {
    const before = hex(session.client.info.moduleSha256);
    const upload = session.client.upload(tinyModule({ abiVersion: 2 }));
    await expect(upload).rejects.toThrow(BoardError);
    await expect(upload).rejects.toMatchObject({ code: ErrorCode.ABI_MISMATCH });
    await expect(upload).rejects.toThrow(/ABI version 2/);
    const info = await session.client.refreshInfo();
    expect(hex(info.moduleSha256)).toBe(before);
  });

  it('reports ERROR MODULE_TRAP and DONE TRAP for a trapping step, and keeps serving', async () => {
    const trapping = tinyModule({ trapInStep: true });
    await session.client.upload(trapping);
    expect(hex(session.client.info.moduleSha256)).toBe(hex(sha256(trapping)));
    await session.client.configure(new Uint8Array(CONFIG_SIZE), new Uint8Array(0));
    const records: number[] = [];
    const run = await session.client.train(5, { onTelemetry: (t) => records.push(t.tseq) });
    const end = await run.done;
    expect(end.status).toBe(DoneStatus.TRAP);
    expect(end.steps).toBe(0);
    expect(records).toEqual([]);
    expect(end.errors).toHaveLength(1);
    expect(end.errors[0]).toMatch(/^MODULE_TRAP: .*unreachable/);

    const info = await session.client.refreshInfo();
    expect(hex(info.moduleSha256)).toBe(hex(sha256(trapping)));
    expect((await session.client.status()).state).toBe(0);
    // The runtime was re-created from the slot (so the config is gone, BAD_STATE until a new CONFIG);
    // a second run traps the same way instead of wedging the board.
    await expect(session.client.train(1, { onTelemetry: () => undefined })).rejects.toMatchObject({ code: ErrorCode.BAD_STATE });
    await session.client.configure(new Uint8Array(CONFIG_SIZE), new Uint8Array(0));
    const second = await session.client.train(1, { onTelemetry: () => undefined });
    expect((await second.done).status).toBe(DoneStatus.TRAP);
  });
});
