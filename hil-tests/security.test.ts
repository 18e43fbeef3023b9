// Signed modules on every target (docs/security.md): the board is provisioned with a fresh key,
// then unsigned, forged, wrong-target and rolled-back modules are refused at UPLOAD_BEGIN (before
// a byte is stored, so before wasm3 parses one), unauthenticated changes are refused (TELEMETRY_ACK, open, only up to what was sent), a signed
// module is taken and trains bit-identically to Node, ROLLBACK to an unsigned module is refused;
// the board is opened again at the end (a real board is left as it was found: open).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BoardError } from '../host/src/device/errors.ts';
import { sha256 } from '../host/src/device/upload.ts';
import { ErrorCode } from '../host/src/protocol/constants.ts';
import { controlKeyOf, encodeProvision } from '../host/src/security/auth.ts';
import { generateSigningKey } from '../host/src/security/keys.ts';
import { signManifest, type ModuleManifest } from '../host/src/security/manifest.ts';
import { HilBoard } from './board.ts';
import { describeNeeding } from './capabilities.ts';
import { EXACT, withChanges } from './configs.ts';
import { variantModule } from './modules.ts';
import { boardRun, hex, nodeRun, readModule, sha256Hex } from './reference.ts';
import { TARGET } from './target.ts';

async function refusal(p: Promise<unknown>): Promise<BoardError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BoardError);
  return err as BoardError;
}

describeNeeding(['provision'], `signed modules (${TARGET.name})`, () => {
  const key = generateSigningKey();
  const stranger = generateSigningKey();
  const base = readModule();
  const modules = [1, 2, 3].map((i) => variantModule(base, `hil-sec-${i}`, 64 * i));
  let board: HilBoard;
  let target = '';
  const manifest = (module: Uint8Array, over: Partial<ModuleManifest> = {}, by = key) =>
    signManifest(by, { size: module.length, sha256: sha256(module), version: 1, counter: 0, abi: 1, target, ...over });

  beforeAll(async () => {
    board = await HilBoard.start();
    target = board.serial.info.boardName;
    if (board.serial.info.security?.provisioned)
      throw new Error(`${TARGET.name} is already provisioned: open it first (qiot provision --open)`);
    expect((await board.upload(base, { confirm: true })).committed).toBe(true);
    await board.serial.provision(encodeProvision([key.publicKey], controlKeyOf(key)));
    expect(board.serial.info.security?.provisioned).toBe(true);
  });
  afterAll(async () => {
    try {
      if (board?.client.info.security?.provisioned) {
        board.serial.authenticate(controlKeyOf(key));
        await board.serial.refreshInfo(); // the board's last accepted counter
        await board.serial.provision(encodeProvision([]));
      }
    } finally {
      await board?.close(); // also when opening the board again failed: no emulator left running
    }
  });

  it('unauthenticated uploads (an ACK needs no key), and unsigned, forged, wrong-target and rolled-back modules are refused; the board keeps its module', async () => {
    const client = board.serial;
    const active = hex(client.info.moduleSha256);
    expect((await refusal(client.upload(modules[0], { manifest: manifest(modules[0]) }))).code).toBe(ErrorCode.UNAUTHENTICATED);
    // TELEMETRY_ACK is open (docs/security.md): anyone may acknowledge what the board sent, nothing beyond it.
    const { nextTseq } = await client.status();
    expect(await client.ackTelemetry(nextTseq)).toMatchObject({ acked: nextTseq });
    expect((await refusal(client.ackTelemetry(nextTseq + 1))).code).toBe(ErrorCode.BAD_PAYLOAD);
    client.authenticate(controlKeyOf(key));
    const unsigned = await refusal(client.upload(modules[0]));
    expect([unsigned.code, unsigned.text]).toEqual([ErrorCode.SIGNATURE, expect.stringMatching(/must be signed/)]);
    const forged = await refusal(client.upload(modules[0], { manifest: manifest(modules[0], {}, stranger) }));
    expect([forged.code, forged.text]).toEqual([
      ErrorCode.SIGNATURE,
      expect.stringMatching(/does not verify under the board's 1 trusted key/),
    ]);
    const other = target === 'posix' ? 'rv32-qemu-virt' : 'posix';
    const wrongTarget = await refusal(client.upload(modules[0], { manifest: manifest(modules[0], { target: other }) }));
    expect([wrongTarget.code, wrongTarget.text]).toEqual([
      ErrorCode.SIGNATURE,
      `module signed for target '${other}', this board is '${target}'`,
    ]);
    expect(hex(client.info.moduleSha256)).toBe(active);

    expect((await board.upload(modules[1], { manifest: manifest(modules[1], { counter: 5 }), confirm: true })).committed).toBe(true);
    expect(client.info.security).toMatchObject({ moduleVerified: true, moduleCounter: 5, floor: 5 });
    const rolledBack = await refusal(client.upload(modules[2], { manifest: manifest(modules[2], { counter: 4 }) }));
    expect([rolledBack.code, rolledBack.text]).toEqual([
      ErrorCode.ROLLBACK,
      "rollback refused: module anti-rollback counter 4 is below the board's floor 5",
    ]);
    const back = await refusal(client.rollback());
    expect([back.code, back.text]).toEqual([
      ErrorCode.ROLLBACK,
      'the previous module is unsigned; a provisioned board runs signed modules only',
    ]);
    expect(hex(client.info.moduleSha256)).toBe(sha256Hex(modules[1]));

    const cfg = withChanges(EXACT, { steps: 3 });
    const [node, run] = [await nodeRun(cfg), await boardRun(client, cfg)];
    expect(run.records).toEqual(node.records);
  });
});
