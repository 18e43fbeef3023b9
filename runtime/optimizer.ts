// The optimizer of the run: one switch per operation. Each optimizer lives in
// optimizers/<name>.ts and provides what it needs of:
//   validate          checks its own config fields in the raw struct (init, before the copy);
//                     returns an init error code
//   reset             clears its state at init (and copies its own fields, if it has any)
//   extraEvaluations  circuit evaluations beyond the loss and gradient passes, known before the
//                     step (the shot budget is checked before anything runs)
//   propose           writes θ_new into TRIAL from θ (PARAMS) and g (GRAD); returns the phase,
//                     or PROPOSE_TRIAL: the step evaluates L(TRIAL) on the mini-batch (in slices)
//                     and then calls decide, which returns the phase
import * as A from './abi.generated';
import * as adam from './optimizers/adam';
import * as momentum from './optimizers/momentum';
import * as nlr from './optimizers/nlr';
import * as sgd from './optimizers/sgd';
import * as spsa from './optimizers/spsa';
import * as S from './settings';

export { PROPOSE_TRIAL } from './optimizers/descent';

// kind = the config's optimizer code, already range-checked.
export function validate(kind: u32): i32 {
  switch (kind) {
    case A.OPTIMIZER_MOMENTUM:
      return momentum.validate();
    case A.OPTIMIZER_ADAM:
      return adam.validate();
    case A.OPTIMIZER_NLR:
      return nlr.validate();
    default:
      return A.ERR_OK;
  }
}

export function reset(): void {
  switch (S.optimizer) {
    case A.OPTIMIZER_MOMENTUM:
      momentum.reset();
      break;
    case A.OPTIMIZER_ADAM:
      adam.reset();
      break;
    case A.OPTIMIZER_NLR:
      nlr.reset();
      break;
  }
}

export function extraEvaluations(): u64 {
  switch (S.optimizer) {
    case A.OPTIMIZER_NLR:
      return nlr.extraEvaluations();
    default:
      return 0;
  }
}

// loss = L(θ) on the mini-batch, k the 0-based step index.
export function propose(loss: f64, k: u32): i32 {
  switch (S.optimizer) {
    case A.OPTIMIZER_MOMENTUM:
      return momentum.propose();
    case A.OPTIMIZER_ADAM:
      return adam.propose();
    case A.OPTIMIZER_SPSA:
      return spsa.propose(k);
    case A.OPTIMIZER_NLR:
      return nlr.propose(loss, k + 1);
    default:
      return sgd.propose();
  }
}

// After PROPOSE_TRIAL: trial = L(TRIAL) on the mini-batch.
export function decide(loss: f64, trial: f64): u32 {
  switch (S.optimizer) {
    case A.OPTIMIZER_NLR:
      return nlr.decide(loss, trial);
    default:
      return A.PHASE_POSITIVE;
  }
}
