// Ed25519 signing keys for modules (docs/security.md), on Node's built-in
// crypto. A key file is the private key as PKCS#8 PEM (what `openssl genpkey
// -algorithm ed25519` writes); the public key travels as 32 raw bytes.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';

export const PUBLIC_KEY_SIZE = 32;
export const SIGNATURE_SIZE = 64;

/** A failure reading or using a key (bad file, wrong key type). */
export class KeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyError';
  }
}

export interface SigningKey {
  privateKey: KeyObject;
  /** The raw 32-byte public key the board is provisioned with. */
  publicKey: Uint8Array;
}

// DER prefixes of the fixed-size Ed25519 PKCS#8 and SPKI encodings (RFC 8410).
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function rawPublicKey(key: KeyObject): Uint8Array {
  const der = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return new Uint8Array(der.subarray(SPKI_PREFIX.length));
}

/** A key from its 32-byte RFC 8032 secret (seed), e.g. a test vector. */
export function signingKeyFromSeed(seed: Uint8Array): SigningKey {
  if (seed.length !== 32) throw new KeyError(`an Ed25519 secret is 32 bytes, got ${seed.length}`);
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: rawPublicKey(privateKey) };
}

export function publicKeyObject(raw: Uint8Array): KeyObject {
  if (raw.length !== PUBLIC_KEY_SIZE) throw new KeyError(`an Ed25519 public key is 32 bytes, got ${raw.length}`);
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

export const signBytes = (key: SigningKey, message: Uint8Array): Uint8Array => new Uint8Array(sign(null, message, key.privateKey));

export function verifyBytes(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  return signature.length === SIGNATURE_SIZE && verify(null, message, publicKeyObject(publicKey), signature);
}

/** Short name of a public key: the first 8 bytes of its sha256, hex. */
export const keyId = (publicKey: Uint8Array): string => createHash('sha256').update(publicKey).digest('hex').slice(0, 16);

export function generateSigningKey(): SigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: rawPublicKey(privateKey) };
}

/** Writes a new key file (mode 0600); refuses to overwrite an existing one. */
export async function writeNewKeyFile(path: string, key: SigningKey): Promise<void> {
  const pem = key.privateKey.export({ type: 'pkcs8', format: 'pem' });
  try {
    await writeFile(path, pem, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new KeyError(
      code === 'EEXIST' ? `${path} exists; a key file is never overwritten` : `cannot write ${path}: ${(err as Error).message}`,
    );
  }
}

/** Reads a key file; every failure is a KeyError naming the file and the problem. */
export function readKeyFileSync(path: string): SigningKey {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new KeyError(
      code === 'ENOENT'
        ? `key file ${path} not found (create one with \`qiot keys generate\`)`
        : `cannot read ${path}: ${(err as Error).message}`,
    );
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(text);
  } catch (err) {
    throw new KeyError(`${path} is not a PEM private key: ${(err as Error).message}`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new KeyError(`${path} holds a ${privateKey.asymmetricKeyType} key; qiot signs with Ed25519`);
  return { privateKey, publicKey: rawPublicKey(privateKey) };
}

export const readKeyFile = async (path: string): Promise<SigningKey> => readKeyFileSync(path);
