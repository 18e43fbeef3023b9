// xoshiro256** (Blackman & Vigna) seeded by four splitmix64 outputs of config.seed.
// Pure integer arithmetic, so every wasm engine produces the same stream.

let s0: u64 = 0;
let s1: u64 = 0;
let s2: u64 = 0;
let s3: u64 = 0;
let splitState: u64 = 0;

function splitmix64(): u64 {
  splitState += 0x9E3779B97F4A7C15;
  let z = splitState;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
  return z ^ (z >> 31);
}

export function seedPrng(seed: u64): void {
  splitState = seed;
  s0 = splitmix64();
  s1 = splitmix64();
  s2 = splitmix64();
  s3 = splitmix64();
}

@inline export function nextU64(): u64 {
  const result = rotl<u64>(s1 * 5, 7) * 9;
  const t = s1 << 17;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl<u64>(s3, 45);
  return result;
}

// Uniform in [0, 1): the top 53 bits times 2^-53.
@inline export function nextUnit(): f64 {
  return <f64>(nextU64() >> 11) * 1.1102230246251565e-16;
}

// Standard normal: Box–Muller's cosine branch from two uniform draws (1 − u keeps ln finite).
export function nextGaussian(): f64 {
  const u1 = 1 - nextUnit();
  const u2 = nextUnit();
  NativeMath.sincos(2 * Math.PI * u2);
  return Math.sqrt(-2 * Math.log(u1)) * NativeMath.sincos_cos;
}

// Uniform integer in [0, n): floor(nextUnit() · n).
export function nextBelow(n: i32): i32 {
  return <i32>(nextUnit() * <f64>n);
}
