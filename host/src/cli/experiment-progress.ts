// What the experiments of experiment.ts and experiment-barren.ts show and write around their run:
// a progress bar on stderr, command.txt in the output folder, the closing summary.
import { SingleBar, Presets } from 'cli-progress';
import { commandLine, ExperimentOutput } from '../experiments/output.ts';

export function progressBar(label: string): { update: (done: number, total: number) => void; stop: () => void } {
  const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} {eta_formatted}`, stream: process.stderr }, Presets.shades_classic);
  let started = false;
  return {
    update: (done, total) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}

export function openOutput(dir: string): ExperimentOutput {
  const out = new ExperimentOutput(dir);
  out.text('command.txt', `${commandLine()}\n`);
  return out;
}

export function finish(out: ExperimentOutput, lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n\nwrote ${out.files.length} files to ${out.dir}\n`);
}
