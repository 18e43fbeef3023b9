// The host's seeded PRNG for datasets (sampling, shuffling, splitting):
// SplitMix64 (Steele, Lea & Flood 2014): state += 0x9E3779B97F4A7C15, then the
// output is the state mixed by two xor-shift-multiply rounds. Uniform doubles use
// the top 53 bits. Written here so datasets are identical on every host and
// across versions of any library; it is independent of the module's PRNG.

const MASK64 = (1n << 64n) - 1n;
const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;

export class SplitMix64 {
  private state: bigint;

  constructor(seed: number | bigint) {
    this.state = BigInt(seed) & MASK64;
  }

  nextU64(): bigint {
    this.state = (this.state + GOLDEN_GAMMA) & MASK64;
    let z = this.state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    return z ^ (z >> 31n);
  }

  /** Uniform in [0, 1) with 53 random bits. */
  nextDouble(): number {
    return Number(this.nextU64() >> 11n) / 2 ** 53;
  }

  /** Uniform integer in [0, n), unbiased (rejection of the short last interval). */
  nextBelow(n: number): number {
    const bound = BigInt(n);
    const limit = (1n << 64n) - ((1n << 64n) % bound);
    for (;;) {
      const x = this.nextU64();
      if (x < limit) return Number(x % bound);
    }
  }

  /** Standard normal by the Box–Muller transform (one of the pair is used). */
  nextGaussian(): number {
    const u1 = 1 - this.nextDouble(); // (0, 1]: keeps log finite
    const u2 = this.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.nextBelow(i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}
