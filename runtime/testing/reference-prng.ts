// xoshiro256** seeded by splitmix64, in BigInt, written from the published algorithm
// (docs/abi.md names the generator) to check the module's draws.

const MASK = (1n << 64n) - 1n;
const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (64n - k))) & MASK;

export class ReferencePrng {
  private s: bigint[];

  constructor(seed: bigint | number) {
    let state = BigInt(seed) & MASK;
    const splitmix = (): bigint => {
      state = (state + 0x9e3779b97f4a7c15n) & MASK;
      let z = state;
      z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
      z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
      return z ^ (z >> 31n);
    };
    this.s = [splitmix(), splitmix(), splitmix(), splitmix()];
  }

  nextU64(): bigint {
    const s = this.s;
    const result = (rotl((s[1] * 5n) & MASK, 7n) * 9n) & MASK;
    const t = (s[1] << 17n) & MASK;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45n);
    return result;
  }

  /** Top 53 bits × 2^-53. */
  nextUnit(): number {
    return Number(this.nextU64() >> 11n) * 2 ** -53;
  }

  nextBelow(n: number): number {
    return Math.floor(this.nextUnit() * n);
  }
}
