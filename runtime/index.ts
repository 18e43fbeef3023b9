// The module's exports: the ABI of docs/abi.md, version 1.
import { ABI_VERSION, DATASET_CAPACITY, MAX_FEATURES, MAX_PARAMS, MAX_QUBITS, MAX_SAMPLES } from './config';
import { diagnosticApply, diagnosticProbability, diagnosticReset } from './diagnostics';
import { writeErrorMessage } from './errors';
import { accuracyOfSplit, evaluateSplit, outputOf } from './evaluation';
import { CONFIG, DATASET, GRAD, MESSAGE, PARAMS, TELEMETRY } from './memory';
import { paramCount } from './run-state';
import { beginStep, continueStep, initRun, runGradient, runStep } from './training';

export function abi_version(): i32 {
  return <i32>ABI_VERSION;
}
export function max_qubits(): i32 {
  return MAX_QUBITS;
}
export function max_params(): i32 {
  return MAX_PARAMS;
}
export function max_samples(): i32 {
  return MAX_SAMPLES;
}
export function max_features(): i32 {
  return MAX_FEATURES;
}
export function dataset_capacity(): i32 {
  return DATASET_CAPACITY;
}

export function config_ptr(): i32 {
  return <i32>CONFIG;
}
export function dataset_ptr(): i32 {
  return <i32>DATASET;
}
export function params_ptr(): i32 {
  return <i32>PARAMS;
}
export function grad_ptr(): i32 {
  return <i32>GRAD;
}
export function telemetry_ptr(): i32 {
  return <i32>TELEMETRY;
}
export function message_ptr(): i32 {
  return <i32>MESSAGE;
}

export function init(): i32 {
  return initRun();
}
export function param_count(): i32 {
  return paramCount;
}
export function step(): i32 {
  return runStep();
}
export function step_begin(): i32 {
  return beginStep();
}
export function step_continue(budget: i32): i32 {
  return continueStep(budget > 0 ? <u32>budget : 0);
}
export function gradient(): i32 {
  return runGradient();
}
export function evaluate(split: i32): f64 {
  return evaluateSplit(split);
}
export function accuracy(split: i32): f64 {
  return accuracyOfSplit(split);
}
export function output(sample: i32): f64 {
  return outputOf(sample);
}
export function error_message(code: i32): i32 {
  return writeErrorMessage(code);
}

export function sv_reset(qubits: i32): void {
  diagnosticReset(qubits);
}
export function sv_apply(gate: i32, q0: i32, q1: i32, angle: f64): void {
  diagnosticApply(gate, q0, q1, angle);
}
export function sv_prob(index: i32): f64 {
  return diagnosticProbability(index);
}
