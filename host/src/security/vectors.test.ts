// The committed security vectors are what the generator produces (so the C
// tests check the current host encoding), and they mean what they claim.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSecurityVectors } from './vectors.ts';

const PATH = new URL('../../../firmware/test-vectors/security.json', import.meta.url);

describe('firmware/test-vectors/security.json', () => {
  const built = buildSecurityVectors();
  if (process.env.QIOT_WRITE_VECTORS === '1') writeFileSync(PATH, `${JSON.stringify(built, null, 2)}\n`);

  it('is up to date with host/src/security/vectors.ts', () => {
    expect(JSON.parse(readFileSync(PATH, 'utf8'))).toEqual(built);
  });

  it('has accepted and refused manifests, and tags that differ per frame', () => {
    expect(built.manifests.filter((m) => m.error === 0)).toHaveLength(2);
    expect(new Set(built.manifests.map((m) => m.error)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(built.auth.map((a) => a.tag)).size).toBe(built.auth.length);
  });
});
