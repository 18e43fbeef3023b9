// Shape of bench/results.json. Every piece is either measured or carries the
// reason it was not; the doc renderer reads only validated results.
import { z } from 'zod';

export const NotMeasured = z.strictObject({ measured: z.literal(false), reason: z.string().min(1) });
export type NotMeasured = z.infer<typeof NotMeasured>;

export const notMeasured = (reason: string): NotMeasured => ({ measured: false, reason });

/** Seconds per step over the rounds. */
export const Timing = z.strictObject({
  measured: z.literal(true),
  median: z.number().positive(),
  q1: z.number().positive(),
  q3: z.number().positive(),
  rounds: z.int().positive(),
});
export type Timing = z.infer<typeof Timing>;

export const Ratio = z.strictObject({ median: z.number().positive(), low: z.number().positive(), high: z.number().positive() });

export const GateCheck = z.strictObject({
  qubits: z.int(),
  reference: z.string(),
  candidate: z.string(),
  lossDifference: z.number().nonnegative(),
  maxGradientDifference: z.number().nonnegative(),
  tolerance: z.number().positive(),
  passed: z.boolean(),
});
export type GateCheck = z.infer<typeof GateCheck>;

export const TimedRow = z.strictObject({
  qubits: z.int(),
  layers: z.int(),
  params: z.int(),
  shots: z.int().nonnegative(),
  timings: z.record(z.string(), z.union([Timing, NotMeasured])),
  /** Step time of each named contender over the row's baseline (> 1 = baseline faster). */
  ratios: z.record(z.string(), Ratio),
  baseline: z.string(),
});
export type TimedRow = z.infer<typeof TimedRow>;

const section = <T extends z.ZodRawShape>(shape: T) => z.union([z.strictObject({ measured: z.literal(true), ...shape }), NotMeasured]);

export const PeersSection = section({
  versions: z.record(z.string(), z.string().nullable()),
  gates: z.array(GateCheck),
  rows: z.array(TimedRow),
  notes: z.array(z.string()),
});

export const NativeSection = section({
  gates: z.array(z.strictObject({ check: z.string(), passed: z.boolean(), detail: z.string() })),
  rows: z.array(TimedRow),
  notes: z.array(z.string()),
});

export const Quantity = z.union([
  z.strictObject({
    measured: z.literal(true),
    value: z.number(),
    unit: z.string(),
    goal: z.string().optional(),
    met: z.boolean().optional(),
    source: z.string(),
  }),
  NotMeasured,
]);
export type Quantity = z.infer<typeof Quantity>;

/** Issue 14: each tool's fastest exact gradient against qiot's adjoint step, 4–20 qubits. */
export const ExactPeersSection = section({
  versions: z.record(z.string(), z.string().nullable()),
  gates: z.array(GateCheck),
  /** Single-threaded, every contender; ratios over the device build (≤ 10 qubits, else the host build) and over the host build. */
  rows: z.array(TimedRow),
  /** Multi-threaded JAX and lightning against the (single-threaded) host build. */
  multiThreadRows: z.array(TimedRow),
  goals: z.record(z.string(), Quantity),
  notes: z.array(z.string()),
});

export const QuantitySection = section({ items: z.record(z.string(), Quantity), notes: z.array(z.string()) });

export const ScalingSection = section({
  byQubits: z.array(TimedRow),
  byParams: z.array(TimedRow),
  fits: z.record(z.string(), z.strictObject({ slope: z.number(), low: z.number(), high: z.number(), meaning: z.string() })),
  notes: z.array(z.string()),
});

export const BenchResults = z.strictObject({
  meta: z.strictObject({
    startedAt: z.string(),
    durationSeconds: z.number().nonnegative(),
    quick: z.boolean(),
    /** 1/5/15-minute load averages at the start and the end: the machine is shared. */
    machine: z.strictObject({
      cpu: z.string(),
      cores: z.int(),
      node: z.string(),
      loadAtStart: z.array(z.number()),
      loadAtEnd: z.array(z.number()),
    }),
    module: z.strictObject({ path: z.string(), bytes: z.int(), sha256: z.string() }).nullable(),
    plan: z.strictObject({ rounds: z.int(), warmupSteps: z.int(), minSampleSeconds: z.number(), maxStepsPerSample: z.int() }),
    /** A run of some sections only (bench/run.ts --only): those sections, and when the others were measured. */
    partial: z.strictObject({ sections: z.array(z.string()), othersFrom: z.string().nullable() }).optional(),
  }),
  peers: PeersSection,
  /** qiot (Node) stepped alone by bench/runtime-bench.ts vs its interleaved medians. */
  isolated: QuantitySection,
  native: NativeSection,
  interpreter: QuantitySection,
  /** Issue 14; absent from results written before it. */
  gradients: QuantitySection.optional(),
  exactPeers: ExactPeersSection.optional(),
  footprint: QuantitySection,
  link: QuantitySection,
  scaling: ScalingSection,
});
export type BenchResults = z.infer<typeof BenchResults>;
