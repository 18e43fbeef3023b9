// BoardTarget (the TrainingTarget of `qiot train`) against the fake board.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMemoryLink } from '../transport/memory.ts';
import { BoardTarget, NoModuleError } from './board-target.ts';
import { DeviceClient } from './client.ts';
import { FakeBoard } from '../../testing/fake-board.ts';
import { CONFIG_SIZE } from '../wasm/abi.ts';

async function connected() {
  const [host, boardSide] = createMemoryLink('fake');
  new FakeBoard(boardSide);
  return DeviceClient.connect(host);
}

describe('BoardTarget', () => {
  it('refuses to train on a board without a module, saying how to flash one', async () => {
    const target = new BoardTarget(await connected());
    await expect(target.identity()).rejects.toThrow(NoModuleError);
    await expect(target.identity()).rejects.toThrow(/qiot flash build\/qiot.wasm --port fake/);
  });

  it('identifies the board and its module, runs the steps and maps DONE to the summary', async () => {
    const client = await connected();
    const module = Uint8Array.from({ length: 3000 }, (_, i) => i & 0xff);
    await client.upload(module);
    const target = new BoardTarget(client);
    expect(await target.identity()).toEqual({
      target: { kind: 'board', board: 'fake', firmware_version: 'fake', port: 'fake (host side)' },
      moduleSha256: createHash('sha256').update(module).digest('hex'),
      abiVersion: 1,
    });
    await target.configure(new Uint8Array(CONFIG_SIZE), new Uint8Array(2500));
    const steps: number[] = [];
    const summary = await target.train(3, (s) => steps.push(new DataView(s.raw.buffer, s.raw.byteOffset).getUint32(0, true)));
    expect(steps).toEqual([1, 2, 3]);
    expect(summary).toEqual({ status: 'completed', trainLoss: 0.5, testLoss: 0.25, testAccuracy: 1, shotsTotal: 0, paramCount: 3 });
  });

  it('stop() ends the run after the current step with status stopped', async () => {
    const client = await connected();
    await client.upload(new Uint8Array(100));
    const target = new BoardTarget(client);
    let seen = 0;
    const summary = await target.train(0, () => {
      if (++seen === 2) target.stop();
    });
    expect(summary.status).toBe('stopped');
    expect(seen).toBeGreaterThanOrEqual(2);
  });

  it('a step the host cannot take (the callback throws) fails the run and stops the board', async () => {
    const client = await connected();
    await client.upload(new Uint8Array(100));
    const target = new BoardTarget(client);
    let seen = 0;
    const training = target.train(0, () => {
      if (++seen === 2) throw new Error('run log: no space left on device');
    });
    await expect(training).rejects.toThrow('run log: no space left on device');
    expect(seen).toBe(2);
    await expect.poll(async () => (await client.status()).state, { timeout: 2000 }).toBe(0); // idle, not training on
  });

  it('refuses a start θ that does not fit one TRAIN_START frame, naming the limit', async () => {
    const target = new BoardTarget(await connected());
    await expect(target.setStartParams(new Array(128).fill(0))).rejects.toThrow(/at most 127 parameters, this run has 128/);
    await expect(target.setStartParams(new Array(127).fill(0))).resolves.toBeUndefined();
  });
});
