// Uploads cut at random offsets never replace the last good module. Emulated boards lose power
// (process killed) at the offset — half of the trials with chunks still in flight, half right
// after the board acknowledged exactly `offset` bytes — and are relaunched on the same store; a
// real board, which the host cannot power-cut, has its upload abandoned at the offset and gets
// RESET. Afterwards INFO shows the last good module (sha256, slot, size) and it trains
// bit-identically to Node. Every few trials the other module is uploaded completely, so the last
// good module changes slot and the next cuts interrupt an upload into the other slot.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SplitMix64 } from '../host/src/data/prng.ts';
import { DeviceUnreachableError } from '../host/src/device/errors.ts';
import { HilBoard } from './board.ts';
import { describeNeeding } from './capabilities.ts';
import { EXACT, withChanges } from './configs.ts';
import { UPLOAD_CUT } from './limits.ts';
import { variantModule } from './modules.ts';
import { boardRun, hex, nodeRun, readModule, sha256Hex } from './reference.ts';
import { TARGET, uploadCutTrials } from './target.ts';

const cutDescription = TARGET.emulated ? 'power cut' : 'abandoned upload + RESET (a real board cannot be power-cut by the host)';

describeNeeding(['partialUpload'], `interrupted uploads (${TARGET.name})`, () => {
  const base = readModule();
  const variant = variantModule(base, 'cut', UPLOAD_CUT.paddingBytes);
  const cfg = withChanges(EXACT, { steps: 2 });
  let board: HilBoard;
  let reference: string[];
  beforeAll(async () => {
    reference = (await nodeRun(cfg)).records;
    board = await HilBoard.start();
    expect((await board.uploadSerial(base)).committed).toBe(true);
  });
  afterAll(() => board?.close());

  /** Uploads `module` up to `offset` bytes and interrupts it; returns the bytes the board had acknowledged. */
  async function interruptedUpload(module: Uint8Array, offset: number, inFlight: boolean): Promise<number> {
    if (inFlight) {
      let acknowledged = 0;
      let cut: Promise<void> | null = null;
      const upload = board.uploadSerial(module, {
        onProgress: (ack) => {
          acknowledged = ack;
          if (!cut && ack >= offset) cut = board.cutPower();
        },
      });
      await expect(upload).rejects.toThrow(DeviceUnreachableError);
      expect(cut, 'the upload ended before reaching the cut offset').not.toBeNull();
      await cut;
      await board.restart();
      return acknowledged;
    }
    let acknowledged = 0;
    const partial = await board.uploadSerial(module, { stopAfter: offset, onProgress: (ack) => (acknowledged = ack) });
    expect(partial.committed).toBe(false);
    expect(acknowledged, 'the board acknowledged exactly the bytes before the cut').toBe(offset);
    await board.powerCycle();
    return acknowledged;
  }

  it(`${uploadCutTrials()} uploads cut at random offsets (${cutDescription}) leave the last good module running`, async () => {
    const rng = new SplitMix64(UPLOAD_CUT.seed);
    let good = base;
    let other: Uint8Array = variant;
    let goodSlot = board.serial.info.activeSlot;
    const trials = uploadCutTrials();
    for (let trial = 1; trial <= trials; trial++) {
      const offset = 1 + rng.nextBelow(other.length - 1);
      const inFlight = TARGET.emulated && trial % 2 === 0;
      const where = `trial ${trial}: cut at byte ${offset} of ${other.length}${inFlight ? ' with chunks in flight' : ''}`;
      const reached = await interruptedUpload(other, offset, inFlight);
      expect(reached, where).toBeGreaterThanOrEqual(offset);

      const info = board.serial.info;
      expect(hex(info.moduleSha256), where).toBe(sha256Hex(good));
      expect(info.activeSlot, where).toBe(goodSlot);
      expect(info.moduleSize, where).toBe(good.length);
      const run = await boardRun(board.serial, cfg);
      expect(run.records, where).toEqual(reference);

      if (trial % UPLOAD_CUT.completeEvery === 0) {
        // Confirmed: the next cut must find it kept, not reverted as an unconfirmed trial.
        const complete = await board.uploadSerial(other, { confirm: true });
        expect(complete.committed, where).toBe(true);
        // The cut upload's state lived in RAM: the restarted board starts over from byte 0.
        expect(complete.resumedFrom, where).toBe(0);
        expect(board.serial.info.activeSlot, where).toBe(1 - goodSlot);
        expect(hex(board.serial.info.moduleSha256), where).toBe(sha256Hex(other));
        [good, other] = [other, good];
        goodSlot = board.serial.info.activeSlot;
      }
    }
  });
});
