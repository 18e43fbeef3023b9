// Value checks shared by validate.ts and the optimizers' own config checks.

export function positiveFinite(x: f64): bool {
  return x > 0 && isFinite<f64>(x);
}

export function nonNegativeFinite(x: f64): bool {
  return x >= 0 && isFinite<f64>(x);
}

export function unitInterval(x: f64): bool {
  return x >= 0 && x < 1;
}
