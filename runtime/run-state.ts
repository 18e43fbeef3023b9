// Counters and optimizer scalars of the current run, reset by init().

export let initialised: bool = false;
export let paramCount: i32 = 0;
// Steps that ran (OK or NUMERIC); the 0-based index k of the next step.
export let stepsDone: u32 = 0;
export let shotsTotal: u64 = 0;
// Circuit evaluations since the last resetEvaluationCount().
export let evaluationCount: u32 = 0;
// First index into ORDER of the current mini-batch.
export let batchStart: i32 = 0;
// β₁^t and β₂^t for Adam's bias correction (running products: no pow needed).
export let beta1Power: f64 = 1;
export let beta2Power: f64 = 1;
// NLR patience: consecutive non-improving steps, and the previous step's loss.
export let nonImproving: u32 = 0;
export let previousLoss: f64 = 0;

export function resetRun(count: i32): void {
  initialised = true;
  paramCount = count;
  stepsDone = 0;
  shotsTotal = 0;
  evaluationCount = 0;
  batchStart = 0;
  beta1Power = 1;
  beta2Power = 1;
  nonImproving = 0;
  previousLoss = 0;
}

export function markUninitialised(): void {
  initialised = false;
}

export function countEvaluation(): void {
  evaluationCount++;
}

export function resetEvaluationCount(): void {
  evaluationCount = 0;
}

export function chargeShots(shots: u64): void {
  shotsTotal += shots;
}

export function finishStep(nextBatchStart: i32): void {
  stepsDone++;
  batchStart = nextBatchStart;
}

export function advanceAdamPowers(b1: f64, b2: f64): void {
  beta1Power *= b1;
  beta2Power *= b2;
}

export function recordPatience(count: u32, loss: f64): void {
  nonImproving = count;
  previousLoss = loss;
}
