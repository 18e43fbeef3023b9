// Sections whose absence is a failure when the caller says so (bench-quick).
import type { BenchResults } from './results-schema.ts';

/** Sections a caller may insist on (bench-quick: the ones its make prerequisites build). */
export const REQUIRABLE = ['peers', 'native', 'scaling'] as const;

export function missingRequired(results: BenchResults, required: readonly string[]): string[] {
  return required.flatMap((name) => {
    const section = results[name as (typeof REQUIRABLE)[number]];
    if (!section.measured) return [`${name}: ${section.reason}`];
    if (name === 'native' && results.native.measured) {
      return Object.entries(results.native.rows[0]?.timings ?? {}).flatMap(([k, t]) => (t.measured ? [] : [`native ${k}: ${t.reason}`]));
    }
    return [];
  });
}
