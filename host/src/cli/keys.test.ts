// `qiot keys generate|show` as a user runs them: the key file is PKCS#8 PEM with mode 0600, never
// overwritten, and the public key printed is the one Node derives from the file on its own.
import { spawnSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const QIOT = new URL('../../bin/qiot.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'qiot-keys-'));

function qiot(...args: string[]) {
  const r = spawnSync(process.execPath, [QIOT, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The raw 32-byte Ed25519 public key of a PEM private key, by Node's crypto (the JWK's x). */
function publicKeyOf(pem: string): string {
  const jwk = createPublicKey(pem).export({ format: 'jwk' });
  return Buffer.from(jwk.x as string, 'base64url').toString('hex');
}

describe('qiot keys', () => {
  it('generate writes a 0600 PKCS#8 key whose public key it prints; show prints the same; neither overwrites', () => {
    const file = join(dir, 'signing.pem');
    const made = qiot('keys', 'generate', '--out', file, '--json');
    expect(made.code, made.stderr).toBe(0);
    const { public_key, key_id } = JSON.parse(made.stdout);
    const pem = readFileSync(file, 'utf8');
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(public_key).toBe(publicKeyOf(pem));

    const shown = qiot('keys', 'show', file, '--json');
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual({ public_key, key_id });

    const again = qiot('keys', 'generate', '--out', file);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(file);
    expect(readFileSync(file, 'utf8')).toBe(pem);
  });

  it('show refuses a file that is not an Ed25519 key (exit 2, naming it)', () => {
    const notKey = join(dir, 'not-a-key.pem');
    writeFileSync(notKey, 'hello\n');
    const r = qiot('keys', 'show', notKey);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(notKey);
  });
});
