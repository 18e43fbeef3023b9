// TrainingProgress: a cli-progress bar on stderr with the live loss, phase and
// shots; when the run ends it prints a summary line and the loss chart.
import { SingleBar } from 'cli-progress';
import type { StepRecord, SummaryRecord } from '../runlog/schema.ts';
import type { TrainingObserver } from '../train/observer.ts';
import { lossChart } from './chart.ts';
import { formatCount, formatLoss, formatPercent } from './format.ts';

export class TrainingProgress implements TrainingObserver {
  private bar: SingleBar | null = null;
  private losses: (number | null)[] = [];
  private label = '';
  private started = 0;

  constructor(
    private readonly out: NodeJS.WritableStream = process.stderr,
    private readonly options: { chart: boolean } = { chart: true },
  ) {}

  onStart(totalSteps: number, label: string): void {
    this.label = label;
    this.losses = [];
    this.bar = new SingleBar({
      stream: this.out,
      format:
        totalSteps > 0
          ? '{label} {bar} {value}/{total} | {rate} steps/s | ETA {eta_formatted} | mini-batch loss {loss} | phase {phase} | shots {shots}'
          : '{label} step {value} (until Ctrl-C or the shot budget) | {rate} steps/s | mini-batch loss {loss} | phase {phase} | shots {shots}',
      // The ETA from the mean rate of the last 10 updates (cli-progress's default window).
      etaBuffer: 10,
      barsize: 24,
      hideCursor: true,
      clearOnComplete: true,
    });
    this.started = performance.now();
    this.bar.start(totalSteps, 0, { label, loss: '—', phase: ' ', shots: '0', rate: '—' });
  }

  onStep(record: StepRecord): void {
    this.losses.push(record.loss);
    this.bar?.update(record.step, {
      rate: formatRate(record.step, (performance.now() - this.started) / 1000),
      loss: formatLoss(record.loss),
      phase: record.phase,
      shots: formatCount(record.shots_total),
    });
  }

  onEnd(summary: SummaryRecord): void {
    this.bar?.stop();
    this.bar = null;
    this.out.write(`${this.label}: ${summaryLine(summary)}\n`);
    const chart = this.options.chart ? lossChart(this.losses) : null;
    if (chart) this.out.write(`mini-batch loss per step\n${chart}\n`);
  }
}

/** Steps per second, 3 significant digits ("—" before the first second's worth). */
export function formatRate(steps: number, seconds: number): string {
  if (!(seconds > 0) || steps <= 0) return '—';
  return Number((steps / seconds).toPrecision(3)).toString();
}

export function summaryLine(s: SummaryRecord): string {
  const parts = [
    `${s.status}`,
    `${s.steps} steps`,
    `last mini-batch loss ${formatLoss(s.final_loss)}`,
    `best mini-batch loss ${formatLoss(s.best_loss)}`,
    `exact train loss ${formatLoss(s.train_loss)}`,
  ];
  if (s.test_accuracy !== null) parts.push(`test accuracy ${formatPercent(s.test_accuracy)}`);
  if (s.test_loss !== null) parts.push(`test loss ${formatLoss(s.test_loss)}`);
  if (s.shots_used > 0) parts.push(`${formatCount(s.shots_used)} shots`);
  parts.push(`${s.wall_time_s.toFixed(2)} s`);
  return parts.join(' · ');
}
