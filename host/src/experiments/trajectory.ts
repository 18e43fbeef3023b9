// Runs one training session step by step and keeps what the experiments measure.
import type { Session, StepOutcome } from './session.ts';

export type StopReason = 'steps' | 'budget' | 'numeric';

export interface Trajectory {
  /** Telemetry of every step that ran. */
  steps: StepOutcome[];
  /** Exact training loss (evaluate(0), not charged) before the first step and after each step. */
  exactLoss: number[];
  /** ‖θ_t − θ_0‖² after each step (t = 1…), for the mean-squared displacement. */
  squaredDisplacement: number[];
  theta0: number[];
  finalTheta: number[];
  stop: StopReason;
}

export const STATUS = { ok: 0, notInitialised: 1, budgetExhausted: 2, numeric: 3 } as const;

export function runTrajectory(session: Session, maxSteps: number): Trajectory {
  const theta0 = Array.from(session.params());
  const steps: StepOutcome[] = [];
  const exactLoss = [session.evaluate(0)];
  const squaredDisplacement: number[] = [];
  let stop: StopReason = 'steps';
  for (let t = 0; t < maxSteps; t++) {
    const outcome = session.step();
    if (outcome.status === STATUS.budgetExhausted) {
      stop = 'budget';
      break;
    }
    if (outcome.status === STATUS.notInitialised) {
      throw new Error('step() returned NOT_INITIALISED: the session was not initialised');
    }
    steps.push(outcome);
    if (outcome.status === STATUS.numeric) {
      stop = 'numeric';
      break;
    }
    exactLoss.push(session.evaluate(0));
    const theta = session.params();
    let d2 = 0;
    for (let j = 0; j < theta.length; j++) d2 += (theta[j] - theta0[j]) ** 2;
    squaredDisplacement.push(d2);
  }
  return { steps, exactLoss, squaredDisplacement, theta0, finalTheta: Array.from(session.params()), stop };
}
