// Signed modules (docs/security.md): unauthenticated changes (TELEMETRY_ACK is open, only up to what
// was sent; checked on this host's own link), and unsigned, forged, wrong-target and rolled-back modules are refused at UPLOAD_BEGIN (before a byte is stored, so before wasm3 parses
// one) and the board keeps its module; a signed module is taken and trains bit-identically to Node;
// ROLLBACK below the floor is refused. On a board of this host's own link the suite provisions it
// with a fresh key and opens it again at the end (a real board is left as it was found: open). A
// board behind a gateway cannot be provisioned through the fleet: it runs when the board was
// provisioned over its own line before its gateway attached it and QIOT_KEY holds its owner key; it
// keeps that key, and its anti-rollback floor ends one above where it started.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sha256 } from '../host/src/device/upload.ts';
import { ErrorCode } from '../host/src/protocol/constants.ts';
import { controlKeyOf, encodeProvision } from '../host/src/security/auth.ts';
import { generateSigningKey, readKeyFileSync, type SigningKey } from '../host/src/security/keys.ts';
import { signManifest, type ModuleManifest } from '../host/src/security/manifest.ts';
import { HilBoard } from './board.ts';
import { PROBE, describeIf, missingCapability } from './capabilities.ts';
import { EXACT, withChanges } from './configs.ts';
import { variantModule } from './modules.ts';
import { boardRun, hex, nodeRun, readModule, sha256Hex } from './reference.ts';
import { TARGET } from './target.ts';

/** The refusal's error code and message (a BoardError on a serial link, a RemoteError through a gateway). */
async function refusal(p: Promise<unknown>): Promise<{ code?: number; message: string }> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'expected the board to refuse').toBeInstanceOf(Error);
  return err as { code?: number; message: string };
}

/** A fleet board runs this file only provisioned, with its owner key in QIOT_KEY. */
function skipReason(): string | null {
  if (!TARGET.fleetId) return missingCapability(['provision']);
  if (!PROBE.security?.provisioned) return missingCapability(['provision']);
  if (!process.env.QIOT_KEY) return `${TARGET.name} is provisioned, but QIOT_KEY (its owner key file) is not set`;
  return null;
}

describeIf(skipReason(), `signed modules (${TARGET.name})`, () => {
  const fleet = TARGET.fleetId !== undefined;
  const key: SigningKey = fleet ? readKeyFileSync(process.env.QIOT_KEY!) : generateSigningKey();
  const stranger = generateSigningKey();
  const base = readModule();
  const modules = [1, 2, 3].map((i) => variantModule(base, `hil-sec-${i}`, 64 * i));
  let board: HilBoard;
  let target = '';
  let floor = 0;
  const manifest = (module: Uint8Array, over: Partial<ModuleManifest> = {}, by = key) =>
    signManifest(by, { size: module.length, sha256: sha256(module), version: 1, counter: floor, abi: 1, target, ...over });

  beforeAll(async () => {
    board = await HilBoard.start();
    target = board.client.info.boardName;
    if (!fleet) {
      if (board.serial.info.security?.provisioned)
        throw new Error(`${TARGET.name} is already provisioned: open it first (qiot provision --open)`);
      expect((await board.upload(base, { confirm: true })).committed).toBe(true);
      await board.serial.provision(encodeProvision([key.publicKey], controlKeyOf(key)));
    }
    expect(board.client.info.security?.provisioned).toBe(true);
    floor = board.client.info.security!.floor;
  });
  afterAll(async () => {
    try {
      if (!fleet && board?.client.info.security?.provisioned) {
        board.serial.authenticate(controlKeyOf(key));
        await board.serial.refreshInfo(); // the board's last accepted counter
        await board.serial.provision(encodeProvision([]));
      }
    } finally {
      await board?.close(); // also when opening the board again failed: no emulator left running
    }
  });

  it('unauthenticated uploads (an ACK needs no key), and unsigned, forged, wrong-target and rolled-back modules are refused; the board keeps its module', async () => {
    const active = hex(board.client.info.moduleSha256);
    const unauthenticated = await refusal((await board.keyless()).upload(modules[0], { manifest: manifest(modules[0]) }));
    expect(unauthenticated.code).toBe(ErrorCode.UNAUTHENTICATED);
    if (!fleet) {
      // TELEMETRY_ACK is open (docs/security.md): anyone may acknowledge what the board sent, nothing beyond it.
      const { nextTseq } = await board.serial.status();
      expect(await board.serial.ackTelemetry(nextTseq)).toMatchObject({ acked: nextTseq });
      expect((await refusal(board.serial.ackTelemetry(nextTseq + 1))).code).toBe(ErrorCode.BAD_PAYLOAD);
      board.serial.authenticate(controlKeyOf(key));
    }
    const unsigned = await refusal(board.upload(modules[0], { manifest: null }));
    expect([unsigned.code, unsigned.message]).toEqual([ErrorCode.SIGNATURE, expect.stringMatching(/must be signed/)]);
    const forged = await refusal(board.upload(modules[0], { manifest: manifest(modules[0], {}, stranger) }));
    expect([forged.code, forged.message]).toEqual([
      ErrorCode.SIGNATURE,
      expect.stringMatching(/does not verify under the board's 1 trusted key/),
    ]);
    const other = target === 'posix' ? 'rv32-qemu-virt' : 'posix';
    const wrongTarget = await refusal(board.upload(modules[0], { manifest: manifest(modules[0], { target: other }) }));
    expect([wrongTarget.code, wrongTarget.message]).toEqual([
      ErrorCode.SIGNATURE,
      expect.stringContaining(`module signed for target '${other}', this board is '${target}'`),
    ]);
    expect(hex((await board.client.refreshInfo()).moduleSha256)).toBe(active);

    // The module in force becomes the previous one: ROLLBACK to it must fail as UPLOAD_BEGIN would.
    const before = board.client.info.security!;
    if (!fleet) expect(before.moduleVerified).toBe(false); // provisioned over `base`, unsigned
    const next = floor + 1;
    expect((await board.upload(modules[1], { manifest: manifest(modules[1], { counter: next }), confirm: true })).committed).toBe(true);
    expect(board.client.info.security).toMatchObject({ moduleVerified: true, moduleCounter: next, floor: next });
    const rolledBack = await refusal(board.upload(modules[2], { manifest: manifest(modules[2], { counter: floor }) }));
    expect([rolledBack.code, rolledBack.message]).toEqual([
      ErrorCode.ROLLBACK,
      expect.stringContaining(`rollback refused: module anti-rollback counter ${floor} is below the board's floor ${next}`),
    ]);
    const back = await refusal(board.client.rollback());
    expect([back.code, back.message]).toEqual([
      ErrorCode.ROLLBACK,
      expect.stringContaining(
        before.moduleVerified
          ? `the previous module's anti-rollback counter ${before.moduleCounter} is below the floor ${next}`
          : 'the previous module is unsigned; a provisioned board runs signed modules only',
      ),
    ]);
    expect(hex((await board.client.refreshInfo()).moduleSha256)).toBe(sha256Hex(modules[1]));

    const cfg = withChanges(EXACT, { steps: 3 });
    const [node, run] = [await nodeRun(cfg), await boardRun(board.client, cfg)];
    expect(run.records).toEqual(node.records);
  });
});
