// Signed modules and authenticated control on the real posix board
// (docs/security.md): an open board as before; once provisioned, unsigned,
// forged, wrong-target and rolled-back modules are refused at UPLOAD_BEGIN,
// unauthenticated changes are refused, reads stay open, and it all survives a
// restart with the state file.
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.ts';
import { encodeConfig } from '../config/encode.ts';
import { loadDataset } from '../data/load.ts';
import { packDataset } from '../data/pack.ts';
import { DeviceClient } from '../device/client.ts';
import { BoardError } from '../device/errors.ts';
import { sha256 } from '../device/upload.ts';
import { ErrorCode } from '../protocol/constants.ts';
import { controlKeyOf, encodeProvision } from '../security/auth.ts';
import { generateSigningKey, writeNewKeyFile } from '../security/keys.ts';
import { signManifest, type ModuleManifest } from '../security/manifest.ts';
import { qiot, readModule, REPO, scratchDir, startBoard, type BoardSession } from '../../testing/harness.ts';
import { variantModule } from '../../testing/tiny-module.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('posix board: signed modules and authenticated control', () => {
  const scratch = scratchDir();
  const state = join(scratch.dir, 'board.state');
  const key = generateSigningKey();
  const stranger = generateSigningKey();
  const base = readModule();
  const modules = [1, 2, 3, 4, 5].map((i) => variantModule(base, `sec-${i}`, 100 * i));
  let session: BoardSession | null = null;
  afterEach(async () => {
    await session?.close();
    session = null;
  });
  afterAll(() => scratch.remove());

  const manifest = (module: Uint8Array, over: Partial<ModuleManifest> = {}, by = key) =>
    signManifest(by, { size: module.length, sha256: sha256(module), version: 1, counter: 0, abi: 1, target: 'posix', ...over });
  const refusal = async (p: Promise<unknown>): Promise<BoardError> => {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BoardError);
    return err as BoardError;
  };

  it('refuses what an attacker on the line would try, once provisioned', async () => {
    session = await startBoard({ state });
    const open = session.client;
    expect(open.info.security?.provisioned).toBe(false);
    await open.upload(modules[0]); // an open board takes unsigned modules, as before
    await open.provision(encodeProvision([key.publicKey], controlKeyOf(key)));
    expect(open.info.security?.provisioned).toBe(true);
    const active = hex(open.info.moduleSha256);

    // Without the control key: reads work, changes do not (not even re-provisioning).
    expect((await open.status()).activeSlot).toBe(open.info.activeSlot);
    expect((await refusal(open.upload(modules[1]))).code).toBe(ErrorCode.UNAUTHENTICATED);
    expect((await refusal(open.reset())).code).toBe(ErrorCode.UNAUTHENTICATED);
    expect((await refusal(open.provision(encodeProvision([stranger.publicKey], controlKeyOf(stranger))))).code).toBe(
      ErrorCode.UNAUTHENTICATED,
    );
    // A stranger's control key does not help.
    open.authenticate(controlKeyOf(stranger));
    expect((await refusal(open.upload(modules[1], { manifest: manifest(modules[1], {}, stranger) }))).text).toMatch(/tag does not match/);

    open.authenticate(controlKeyOf(key));
    const unsigned = await refusal(open.upload(modules[1]));
    expect([unsigned.code, unsigned.text]).toEqual([ErrorCode.SIGNATURE, expect.stringMatching(/must be signed/)]);
    const forged = await refusal(open.upload(modules[1], { manifest: manifest(modules[1], {}, stranger) }));
    expect([forged.code, forged.text]).toEqual([
      ErrorCode.SIGNATURE,
      expect.stringMatching(/does not verify under the board's 1 trusted key/),
    ]);
    const wrongTarget = await refusal(open.upload(modules[1], { manifest: manifest(modules[1], { target: 'rv32' }) }));
    expect([wrongTarget.code, wrongTarget.text]).toEqual([ErrorCode.SIGNATURE, "module signed for target 'rv32', this board is 'posix'"]);
    expect(hex(open.info.moduleSha256)).toBe(active);

    const ok = await open.upload(modules[2], { manifest: manifest(modules[2], { version: 7, counter: 5 }) });
    expect(ok.committed).toBe(true);
    // On trial (docs/reliability.md): the floor rises only when the module is confirmed.
    expect(open.info.security).toMatchObject({ provisioned: true, moduleVerified: true, moduleVersion: 7, moduleCounter: 5, floor: 0 });
    expect(open.info.boot?.pending).toBe(true);
    await open.confirm();
    expect(open.info.security?.floor).toBe(5);
    // ROLLBACK is authenticated and goes only to a signed module at or above the floor.
    const back = await refusal(open.rollback());
    expect([back.code, back.text]).toEqual([
      ErrorCode.ROLLBACK,
      'the previous module is unsigned; a provisioned board runs signed modules only',
    ]);
    const rollback = await refusal(open.upload(modules[3], { manifest: manifest(modules[3], { counter: 4 }) }));
    expect([rollback.code, rollback.text]).toEqual([
      ErrorCode.ROLLBACK,
      "rollback refused: module anti-rollback counter 4 is below the board's floor 5",
    ]);
    expect(hex(open.info.moduleSha256)).toBe(hex(sha256(modules[2])));
  });

  it('keeps keys and floor across a restart, with a new session nonce', async () => {
    session = await startBoard({ state });
    const sec = session.client.info.security;
    expect(sec).toMatchObject({ provisioned: true, moduleVerified: true, floor: 5, lastCounter: 0 });
    expect((await refusal(session.client.upload(modules[3], { manifest: manifest(modules[3], { counter: 6 }) }))).code).toBe(
      ErrorCode.UNAUTHENTICATED,
    );
    session.client.authenticate(controlKeyOf(key));
    await session.client.upload(modules[3], { manifest: manifest(modules[3], { counter: 6 }), confirm: true });
    expect(session.client.info.security?.floor).toBe(6);
  });

  it('qiot flash --key signs for the board and authenticates; without it the board refuses (exit 1)', async () => {
    session = await startBoard({ state });
    await session.client.close(); // the CLI is the board's only host
    const keyFile = join(scratch.dir, 'k.pem');
    await writeNewKeyFile(keyFile, key);
    const modulePath = join(scratch.dir, 'm.wasm');
    await import('node:fs/promises').then((fs) => fs.writeFile(modulePath, modules[4]));
    const refused = await qiot(['flash', modulePath, '--port', session.board.port]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/UNAUTHENTICATED/);
    const flashed = await qiot(['flash', modulePath, '--port', session.board.port, '--key', keyFile, '--json']);
    expect(flashed.stderr).toBe('');
    expect(flashed.code).toBe(0);
    expect(JSON.parse(flashed.stdout).sha256).toBe(hex(sha256(modules[4])));
    const info = await qiot(['info', '--port', session.board.port, '--json']);
    expect(JSON.parse(info.stdout).security).toMatchObject({ provisioned: true, module_signed: true, rollback_floor: 6 });
  });

  it('qiot stop and reset authenticate with --key; without it the board refuses (UNAUTHENTICATED, exit 1)', async () => {
    session = await startBoard({ state });
    await session.client.close();
    const owner = await DeviceClient.open(session.board.port, { controlKey: controlKeyOf(key) });
    const cfg = loadConfig(join(REPO, 'examples/iris-nlr.json'));
    const dataset = loadDataset(cfg)!;
    await owner.configure(encodeConfig(cfg, dataset), packDataset(dataset));
    await owner.train(0, { onTelemetry: () => undefined }, { telemetry: 'drop-oldest' });
    await owner.close();
    const keyFile = join(scratch.dir, 'k.pem'); // written by the previous test
    const port = session.board.port;
    for (const command of ['stop', 'reset']) {
      const refused = await qiot([command, '--port', port]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/UNAUTHENTICATED/);
    }
    const stopped = await qiot(['stop', '--port', port, '--key', keyFile, '--json']);
    expect(stopped.code).toBe(0);
    expect(JSON.parse(stopped.stdout)).toMatchObject({ was: 'training', status: 'stopped' });
    const reset = await qiot(['reset', '--port', port, '--key', keyFile]);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/answering again/);
  }, 240_000); // four CLI processes: generous on a loaded machine

  it('TELEMETRY_ACK is open: qiot attach without a key follows a paused run to its end; an ACK beyond what was sent is refused', async () => {
    session = await startBoard({ state });
    await session.client.close();
    const port = session.board.port;
    const steps = 150; // more than the 64-record ring: the board pauses until someone acknowledges
    const owner = await DeviceClient.open(port, { controlKey: controlKeyOf(key) });
    const cfg = loadConfig(join(REPO, 'examples/iris-nlr.json'));
    const dataset = loadDataset(cfg)!;
    await owner.configure(encodeConfig(cfg, dataset), packDataset(dataset));
    await owner.train(steps, { onTelemetry: () => undefined }); // pause mode, the owner then goes away
    const counter = (await owner.refreshInfo()).security!.lastCounter;
    await owner.close();

    const r = await qiot(['attach', '--port', port, '--json']);
    expect(r.stderr).not.toMatch(/UNAUTHENTICATED/);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; step?: number });
    expect(lines.filter((l) => l.type === 'telemetry').map((t) => t.step)).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
    expect(lines.at(-1)).toMatchObject({ type: 'done', status: 'completed', steps, gaps: 0, lost_records: 0 });

    // Anyone's ACK, and nothing more: not beyond the records sent, no counter spent, control still closed.
    const stranger = await DeviceClient.open(port);
    try {
      const { nextTseq } = await stranger.status();
      const beyond = await refusal(stranger.ackTelemetry(nextTseq + 1));
      expect(beyond.code).toBe(ErrorCode.BAD_PAYLOAD);
      expect(await stranger.ackTelemetry(nextTseq)).toMatchObject({ acked: nextTseq, dropped: 0 });
      expect((await stranger.refreshInfo()).security?.lastCounter).toBe(counter);
      expect((await refusal(stranger.reset())).code).toBe(ErrorCode.UNAUTHENTICATED);
    } finally {
      await stranger.close();
    }
  }, 240_000);
});
