// jsqubits in a process of its own (its immutable states make a lot of garbage;
// its own heap keeps that collection out of the other contenders' timings).
// One JSON request per stdin line, one answer per stdout line.
import { createInterface } from 'node:readline';
import { JsqubitsTrainer } from './jsqubits.ts';

interface Request {
  op: 'loss_and_gradient' | 'time_steps';
  qubits: number;
  layers: number;
  shots: number;
  seed: number;
  theta: number[];
  lr?: number;
  min_seconds?: number;
  max_steps?: number;
}

const trainers = new Map<string, JsqubitsTrainer>();

function trainerFor(r: Request): JsqubitsTrainer {
  const key = `${r.qubits}/${r.layers}/${r.shots}/${r.seed}`;
  let trainer = trainers.get(key);
  if (!trainer) trainers.set(key, (trainer = new JsqubitsTrainer({ qubits: r.qubits, layers: r.layers }, r.shots, r.seed)));
  return trainer;
}

function handle(r: Request): unknown {
  const trainer = trainerFor(r);
  if (r.op === 'loss_and_gradient') return trainer.lossAndGradient(r.theta);
  if (r.op === 'time_steps') {
    const theta = [...r.theta];
    let steps = 0;
    let seconds = 0;
    const start = process.hrtime.bigint();
    do {
      trainer.step(theta, r.lr ?? Number.NaN);
      steps++;
      seconds = Number(process.hrtime.bigint() - start) / 1e9;
    } while (seconds < (r.min_seconds ?? 0) && steps < (r.max_steps ?? 1));
    return { steps, seconds };
  }
  throw new Error(`unknown op ${String((r as { op: unknown }).op)}`);
}

createInterface({ input: process.stdin }).on('line', (line) => {
  if (!line.trim()) return;
  let answer: unknown;
  try {
    answer = handle(JSON.parse(line) as Request);
  } catch (e) {
    answer = { error: (e as Error).message };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
});
