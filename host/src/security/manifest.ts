// Signed module manifests (docs/security.md): what `qiot sign` writes and what
// UPLOAD_BEGIN carries to a provisioned board. The signature covers
// "QIOT-MODULE-1" ‖ u32 size ‖ sha256 ‖ u32 version ‖ u32 counter ‖ u16 abi ‖
// u8 len ‖ target — exactly the UPLOAD_BEGIN payload before the signature.
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { decodeUploadBegin, encodeUploadBegin } from '../protocol/payloads.generated.ts';
import { KeyError, SIGNATURE_SIZE, keyId, signBytes, verifyBytes, type SigningKey } from './keys.ts';
import { SECURITY } from './limits.ts';

export const MODULE_DOMAIN = new TextEncoder().encode('QIOT-MODULE-1');

export interface ModuleManifest {
  size: number;
  sha256: Uint8Array;
  /** Free-form release number, reported back by the board. */
  version: number;
  /** Anti-rollback counter: a provisioned board refuses a module below its floor. */
  counter: number;
  /** Module ABI the board must run. */
  abi: number;
  /** board_name() of the boards it may run on (`posix`, `rv32`, `esp32:esp32c3` …). */
  target: string;
}

/** What UPLOAD_BEGIN carries: the manifest and its signature (the board knows the trusted keys). */
export interface WireManifest extends ModuleManifest {
  signature: Uint8Array;
}

export interface SignedManifest extends WireManifest {
  publicKey: Uint8Array;
}

/** The UPLOAD_BEGIN payload without the signature (the signed bytes minus the domain). */
export function manifestBody(m: ModuleManifest): Uint8Array {
  const target = new TextEncoder().encode(m.target);
  if (target.length === 0 || target.length > SECURITY.maxTargetName) {
    throw new KeyError(`target name must be 1..${SECURITY.maxTargetName} bytes, got ${target.length} ('${m.target}')`);
  }
  if (m.sha256.length !== 32) throw new KeyError(`sha256 must be 32 bytes, got ${m.sha256.length}`);
  // UPLOAD_BEGIN's layout (abi/qiot-protocol.ts) up to the signature.
  return encodeUploadBegin({ ...m, signature: new Uint8Array(SIGNATURE_SIZE) }).subarray(0, -SIGNATURE_SIZE);
}

const signedMessage = (m: ModuleManifest): Uint8Array => Buffer.concat([MODULE_DOMAIN, manifestBody(m)]);

export function signManifest(key: SigningKey, m: ModuleManifest): SignedManifest {
  return { ...m, sha256: m.sha256.slice(), signature: signBytes(key, signedMessage(m)), publicKey: key.publicKey.slice() };
}

export const verifyManifest = (m: SignedManifest, publicKey: Uint8Array = m.publicKey): boolean =>
  verifyBytes(publicKey, signedMessage(m), m.signature);

/** The full UPLOAD_BEGIN payload of a signed module. */
export const signedBeginPayload = (m: WireManifest): Uint8Array => Buffer.concat([manifestBody(m), m.signature]);

/** The manifest of a signed UPLOAD_BEGIN payload (a fleet `flash` carries it); the signature is the board's to check. */
export function decodeSignedBegin(payload: Uint8Array): WireManifest {
  try {
    const { size, sha256, version, counter, abi, target, signature } = decodeUploadBegin(payload);
    if (signature === undefined) throw new Error('UPLOAD_BEGIN carries no manifest after the sha256');
    return { size, sha256, version: version!, counter: counter!, abi: abi!, target: target!, signature };
  } catch (err) {
    throw new KeyError(`not a signed module manifest: ${(err as Error).message}`);
  }
}

// ---- signature files (`qiot sign`) ------------------------------------------

const hexOf = (n: number) => z.string().regex(new RegExp(`^[0-9a-f]{${2 * n}}$`), `${n} bytes of lower-case hex`);
const u32 = z.number().int().min(0).max(0xffffffff);
const SignatureFile = z.strictObject({
  format: z.literal('qiot-module-signature-1'),
  size: u32,
  sha256: hexOf(32),
  version: u32,
  counter: u32,
  abi: z.number().int().min(0).max(0xffff),
  target: z.string().min(1),
  key_id: z.string(),
  public_key: hexOf(32),
  signature: hexOf(SIGNATURE_SIZE),
});

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

export function signatureFileText(m: SignedManifest): string {
  const file: z.infer<typeof SignatureFile> = {
    format: 'qiot-module-signature-1',
    size: m.size,
    sha256: hex(m.sha256),
    version: m.version,
    counter: m.counter,
    abi: m.abi,
    target: m.target,
    key_id: keyId(m.publicKey),
    public_key: hex(m.publicKey),
    signature: hex(m.signature),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export async function writeSignatureFile(path: string, m: SignedManifest): Promise<void> {
  await writeFile(path, signatureFileText(m));
}

/** Reads and checks a signature file: well-formed and self-consistent (its signature verifies under its public key). */
export async function readSignatureFile(path: string): Promise<SignedManifest> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new KeyError(`cannot read signature file ${path}: ${(err as Error).message}`);
  }
  const parsed = SignatureFile.safeParse(json);
  if (!parsed.success)
    throw new KeyError(
      `${path} is not a qiot signature file: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  const f = parsed.data;
  const m: SignedManifest = {
    size: f.size,
    sha256: unhex(f.sha256),
    version: f.version,
    counter: f.counter,
    abi: f.abi,
    target: f.target,
    publicKey: unhex(f.public_key),
    signature: unhex(f.signature),
  };
  if (!verifyManifest(m)) throw new KeyError(`${path}: the signature does not verify under the public key it names`);
  return m;
}
