// One Bin(n, p) draw per sampled evaluation (docs/abi.md "Shots"), exact in distribution up
// to f64 rounding: inversion (Kachitvichyanukul & Schmeiser's BINV) when n·min(p, 1−p) < 10,
// otherwise Hörmann's BTRS transformed rejection (1993). Only pure f64 arithmetic and
// AssemblyScript's own log/exp/sqrt, so every engine draws the same values.
import { nextUnit } from './prng';

// n·p below which inversion is used (its expected search length is ~n·p + 1).
const INVERSION_BELOW: f64 = 10;
// BINV restarts a search that ran past this many terms (only reachable through rounding).
const INVERSION_MAX_TERMS: f64 = 110;
const HALF_LOG_TWO_PI: f64 = 0.9189385332046728;

// ln k! exactly for k < 10 (k! is exact in f64), else Stirling's series to k^−5
// (error below 1e−10 at k = 10).
function logFactorial(k: f64): f64 {
  if (k < 10) {
    let f: f64 = 1;
    for (let i: f64 = 2; i <= k; i++) f *= i;
    return Math.log(f);
  }
  const r = 1 / k;
  const r2 = r * r;
  return (k + 0.5) * Math.log(k) - k + HALF_LOG_TWO_PI + r * (1.0 / 12 - r2 * (1.0 / 360 - r2 / 1260));
}

// p ≤ 1/2, n·p < 10: sequential search of the CDF from 0.
function inversion(n: f64, p: f64): f64 {
  const q = 1 - p;
  const ratio = p / q;
  const g = ratio * (n + 1);
  const start = Math.exp(n * Math.log(q));
  let x: f64 = 0;
  let searching = true;
  while (searching) {
    let u = nextUnit();
    let f = start;
    x = 0;
    while (u >= f && x < INVERSION_MAX_TERMS) {
      u -= f;
      x++;
      f *= g / x - ratio;
    }
    searching = u >= f;
  }
  return x;
}

// p ≤ 1/2, n·p ≥ 10: BTRS.
function btrs(n: f64, p: f64): f64 {
  const q = 1 - p;
  const spq = Math.sqrt(n * p * q);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  const alpha = (2.83 + 5.1 / b) * spq;
  const lpq = Math.log(p / q);
  const m = Math.floor((n + 1) * p);
  const h = logFactorial(m) + logFactorial(n - m);
  let k: f64 = 0;
  let accepted = false;
  while (!accepted) {
    const u = nextUnit() - 0.5;
    const v = nextUnit();
    const us = 0.5 - Math.abs(u);
    k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && v <= vr) {
      accepted = true;
    } else {
      const logV = Math.log((v * alpha) / (a / (us * us) + b));
      accepted = logV <= h - logFactorial(k) - logFactorial(n - k) + (k - m) * lpq;
    }
  }
  return k;
}

// Successes in n Bernoulli(p) trials; p outside (0, 1) (rounding of a probability) clamps.
export function binomial(n: u64, p: f64): u64 {
  if (n == 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const flip = p > 0.5;
  const small = flip ? 1 - p : p;
  const trials = <f64>n;
  const draw = trials * small < INVERSION_BELOW ? inversion(trials, small) : btrs(trials, small);
  const successes = <u64>draw;
  return flip ? n - successes : successes;
}
