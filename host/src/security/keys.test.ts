// Node's Ed25519 as qiot uses it, against RFC 8032 §7.1 and the refusals the
// board's C verifier is tested on (one vector file for both).
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import vectors from '../../../firmware/test-vectors/ed25519.json' with { type: 'json' };
import { KeyError, generateSigningKey, keyId, readKeyFile, signBytes, signingKeyFromSeed, verifyBytes, writeNewKeyFile } from './keys.ts';

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('Ed25519 (RFC 8032 §7.1)', () => {
  for (const v of vectors.valid) {
    it(`${v.name}: public key, signature and verification match the RFC`, () => {
      const key = signingKeyFromSeed(hex(v.secret));
      expect(toHex(key.publicKey)).toBe(v.public);
      expect(toHex(signBytes(key, hex(v.message)))).toBe(v.signature);
      expect(verifyBytes(hex(v.public), hex(v.message), hex(v.signature))).toBe(true);
    });
  }
  for (const v of vectors.invalid.filter((x) => !x.name.startsWith('public key'))) {
    it(`refuses ${v.name}`, () => {
      expect(verifyBytes(hex(v.public), hex(v.message), hex(v.signature))).toBe(false);
    });
  }
});

describe('key files', () => {
  it('round-trips a generated key through a 0600 PEM file and never overwrites it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qiot-keys-'));
    const path = join(dir, 'k.pem');
    const key = generateSigningKey();
    await writeNewKeyFile(path, key);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readFile(path, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const back = await readKeyFile(path);
    expect(toHex(back.publicKey)).toBe(toHex(key.publicKey));
    const sig = signBytes(back, hex('abcd'));
    expect(verifyBytes(key.publicKey, hex('abcd'), sig)).toBe(true);
    await expect(writeNewKeyFile(path, generateSigningKey())).rejects.toThrow(/exists; a key file is never overwritten/);
    expect(keyId(key.publicKey)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('names a missing or non-key file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qiot-keys-'));
    await expect(readKeyFile(join(dir, 'none.pem'))).rejects.toThrow(/not found \(create one with `qiot keys generate`\)/);
    const bogus = join(dir, 'bogus.pem');
    await import('node:fs/promises').then((fs) => fs.writeFile(bogus, 'hello'));
    await expect(readKeyFile(bogus)).rejects.toBeInstanceOf(KeyError);
  });
});
