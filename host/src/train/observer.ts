import type { StepRecord, SummaryRecord } from '../runlog/schema.ts';

/** Watches a run as runTraining sees it, e.g. the progress bar. */
export interface TrainingObserver {
  onStart(totalSteps: number, label: string): void;
  onStep(record: StepRecord): void;
  onEnd(summary: SummaryRecord): void;
}
