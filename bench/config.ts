// Every size, repetition count, tolerance and goal of `make bench`, with its reason.

/** Circuit of the peer comparison (issue 6): hea ansatz, local cost, no data encoding. */
export const PEER_QUBITS = [4, 6, 8, 10] as const;
export const PEER_LAYERS = 2;
/** Shots per circuit evaluation in sampled mode; 0 means exact expectations. */
export const PEER_SHOT_MODES = [0, 1000] as const;
/** Learning rate of the timed SGD step; any positive value costs the same. */
export const STEP_LR = 0.1;
/** Seed of the parameters the correctness gates compare at. */
export const GATE_SEED = 20251125;

/**
 * Correctness gate tolerances. qiot keeps amplitudes in f32 (docs/abi.md), whose
 * unit roundoff is 6e-8; a 2-layer circuit of ≤ 10 qubits applies ≤ 60 gates, so
 * the loss and each parameter-shift derivative may differ from an f64 reference
 * by a few 1e-6. 1e-4 leaves an order of magnitude of margin and still catches any
 * wrong gate, angle convention or parameter order (those give errors ≥ 1e-2).
 */
export const GATE_TOLERANCE_F32 = 1e-4;
/** Two f64 simulators of the same circuit agree to rounding. */
export const GATE_TOLERANCE_F64 = 1e-9;

export interface TimingPlan {
  /** Round-robin rounds: each round times every contender once, in rotated order. */
  rounds: number;
  /** Untimed steps before the first round (JIT warm-up, lazy compilation, caches). */
  warmupSteps: number;
  /**
   * Each timed sample runs steps until at least this many seconds passed, so that
   * clock resolution and process overhead stay below 1 % of the sample.
   */
  minSampleSeconds: number;
  /** Cap on steps in one sample (the fastest contenders would run millions). */
  maxStepsPerSample: number;
}

/**
 * Full run: 11 rounds, enough for a bootstrap interval of the median that is not
 * just the sample's extremes, while the whole run stays ≈ 6–8 min of the 15-minute budget.
 */
export const FULL_PLAN: TimingPlan = { rounds: 11, warmupSteps: 3, minSampleSeconds: 0.2, maxStepsPerSample: 20000 };
/** Quick run (tests): proves the harness end to end in well under a minute. */
export const QUICK_PLAN: TimingPlan = { rounds: 3, warmupSteps: 1, minSampleSeconds: 0.02, maxStepsPerSample: 200 };
/** Quick run measures one size so the whole pipeline (gates, peers, doc) is exercised. */
export const QUICK_QUBITS = [4] as const;

/** Scaling sweep (item 6): qiot in Node only, where 2^n per gate is visible over a wide range. */
export const SCALING_QUBITS = [2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
export const SCALING_QUBITS_LAYERS = 2;
/** Parameter sweep at fixed width: P = 2·L·n grows linearly with the layers. */
export const SCALING_LAYERS = [1, 2, 4, 8, 16] as const;
export const SCALING_LAYERS_QUBITS = 6;
export const QUICK_SCALING_QUBITS = [2, 4, 6] as const;
export const QUICK_SCALING_LAYERS = [1, 2, 4] as const;

/** Goals stated in issue 6; the doc reports each measured value against its goal. */
export const GOALS = {
  /** qiot (Node) per-step speed-up over PennyLane default.qubit at 4–8 qubits. */
  speedupVsDefaultQubit: 20,
  /** posix board (wasm3) step time over qiot in Node, same module and config. */
  wasm3OverNode: 25,
  /** rv32 instructions per step, wasm3 over plain C. */
  rv32InstructionRatio: 1.6,
  /** A device module's budget: half of a 32 KiB module slot (issue 14 raised it from 12 KiB). */
  moduleBytes: 16 * 1024,
  /** Issue 14: a 1000-shot parameter-shift step over the exact one, at shotsRatioQubits, in Node. */
  shotsOverExact: 1.2,
  shotsRatioQubits: 4,
  /** Issue 14: rv32 instructions of one 10-qubit × 2-layer exact adjoint step (≈ 0.6 s at 160 MHz). */
  rv32AdjointInstructions: 100_000_000,
  /** Firmware RAM (data + bss + heap peak + stack peak) at 10 qubits. */
  ramBytes: 128 * 1024,
  /** Issue 14: qiot device build (Node, adjoint) over the fastest single-threaded exact peer, 4–10 qubits. */
  nodeOverFastestPeer: 5,
  /** Issue 14: the host build, single thread, faster than lightning.qubit adjoint at 12–20 qubits. */
  hostVsLightningFromQubits: 12,
  /** Upload payload bytes over wire bytes with a pipelined window. */
  payloadWireRatio: 0.9,
} as const;

/**
 * Issue 14's exact-gradient peers: qiot's device build (Q1.30, adjoint) to its 10-qubit limit,
 * its host build (f32 SIMD, adjoint) and the peers to 20 qubits.
 */
export const EXACT_QUBITS = [4, 6, 8, 10, 12, 14, 16, 18, 20] as const;
export const DEVICE_MAX_QUBITS = 10;
/** Multi-threaded peers against the single-threaded host build, where threads can pay off. */
export const MULTI_THREAD_QUBITS = [12, 16, 20] as const;
/**
 * Plan of the exact table from 12 qubits on: a step takes up to seconds there, so 5 rounds
 * (still a paired median with a bootstrap interval) keep the section within minutes.
 */
export const LARGE_PLAN: TimingPlan = { rounds: 5, warmupSteps: 1, minSampleSeconds: 0.2, maxStepsPerSample: 20000 };
export const LARGE_PLAN_FROM_QUBITS = 12;
/**
 * A peer is not timed at a size where its step, projected from the previous size (× 2 per
 * added qubit: 2^n amplitudes), would exceed this: 5 rounds + warm-up of a 6 s step already
 * cost 36 s per size. Such cells are reported as not measured, with the projection.
 */
export const EXACT_STEP_CAP_SECONDS = 6;
/**
 * JAX is timed up to here: its jit compile, once per size, grows with the qubits (a trial run on
 * this 2-core shared machine: 74 s at 8, 83 s at 10, 428 s at 12 qubits), and beyond 10 qubits
 * the compiles alone would outlast the rest of make bench. 10 covers the device-build goal.
 */
export const EXACT_JAX_MAX_QUBITS = 10;

/** Issue 14's gradient comparison (Node): the smallest and the largest device size. */
export const GRADIENT_QUBITS = [4, 10] as const;

/** The full run must finish within this (issue 6); the harness warns past it. */
export const FULL_RUN_BUDGET_SECONDS = 15 * 60;
