// Turns interleaved round samples into a results row: per-contender medians and
// paired ratios against the row's baseline.
import type { NotMeasured, TimedRow } from './results-schema.ts';
import { pairedRatio, summarize } from './stats.ts';
import type { RoundSamples } from './timing.ts';

export interface RowShape {
  qubits: number;
  layers: number;
  params: number;
  shots: number;
}

export function timedRow(shape: RowShape, samples: RoundSamples, baseline: string, absent: Record<string, NotMeasured> = {}): TimedRow {
  if (!samples[baseline]) throw new Error(`timedRow: baseline ${baseline} was not timed`);
  const timings: TimedRow['timings'] = { ...absent };
  const ratios: TimedRow['ratios'] = {};
  for (const [name, perStep] of Object.entries(samples)) {
    timings[name] = { measured: true, ...summarize(perStep) };
    if (name !== baseline) ratios[name] = pairedRatio(perStep, samples[baseline]);
  }
  return { ...shape, timings, ratios, baseline };
}

/** "exact" or "1000 shots": how a row's circuit evaluations were read out. */
export function shotsLabel(shots: number): string {
  return shots === 0 ? 'exact' : `${shots} shots`;
}
