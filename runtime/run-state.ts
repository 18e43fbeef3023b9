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

export function resetRun(count: i32): void {
  initialised = true;
  paramCount = count;
  stepsDone = 0;
  shotsTotal = 0;
  evaluationCount = 0;
  batchStart = 0;
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
