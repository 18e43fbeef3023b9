// Runtime benchmark (a script, not a test): module size and training steps per second
// of build/qiot.wasm in Node, HEA with 2 layers, local cost, SGD with parameter shift,
// exact and sampled. Run: npx tsx bench/runtime-bench.ts [--json] [--seconds s] [--module path]
import { Command, InvalidArgumentError } from 'commander';
import { statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DEFAULT_ABI_CONFIG, DEFAULT_MODULE_PATH, QiotModule, STATUS } from '../host/src/wasm/index.ts';

const QUBITS = [4, 6, 8, 10];
const LAYERS = 2;
const SHOTS = [0, 1000];
const WARMUP_STEPS = 3;
// Large enough never to stop a timed run.
const SAMPLED_BUDGET = 2 ** 52;

interface Row {
  qubits: number;
  layers: number;
  params: number;
  shotsPerEval: number;
  evalsPerStep: number;
  steps: number;
  seconds: number;
  stepsPerSecond: number;
  msPerStep: number;
  /** Process CPU time per step: steadier than wall time on a shared machine. */
  cpuMsPerStep: number;
}

function positiveNumber(text: string): number {
  const value = Number(text);
  if (!(value > 0) || !Number.isFinite(value)) throw new InvalidArgumentError(`expected a positive number, got '${text}'`);
  return value;
}

function measure(module: QiotModule, qubits: number, shotsPerEval: number, seconds: number): Row {
  module.writeConfig({
    ...DEFAULT_ABI_CONFIG,
    qubits,
    layers: LAYERS,
    shotsPerEval,
    shotBudget: shotsPerEval > 0 ? SAMPLED_BUDGET : 0,
    seed: 7,
  });
  const code = module.init();
  if (code !== 0) throw new Error(`init failed for ${qubits} qubits: ${module.errorMessage(code)}`);
  let evalsPerStep = 0;
  for (let i = 0; i < WARMUP_STEPS; i++) evalsPerStep = module.step().record.evals;
  let steps = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    const { status } = module.step();
    if (status !== STATUS.OK) throw new Error(`step failed with status ${status} at ${qubits} qubits`);
    steps++;
    elapsed = performance.now() - start;
  }
  const cpu = process.cpuUsage(cpuStart);
  return {
    qubits,
    layers: LAYERS,
    params: module.paramCount,
    shotsPerEval,
    evalsPerStep,
    steps,
    seconds: elapsed / 1000,
    stepsPerSecond: steps / (elapsed / 1000),
    msPerStep: elapsed / steps,
    cpuMsPerStep: (cpu.user + cpu.system) / 1000 / steps,
  };
}

function printTable(modulePath: string, size: number, rows: Row[]): void {
  console.log(`module ${modulePath}: ${size} bytes (${(size / 1024).toFixed(1)} KiB)`);
  console.log(`HEA, ${LAYERS} layers, local cost, SGD, parameter shift; Node ${process.version}`);
  const header = ['qubits', 'params', 'shots/eval', 'evals/step', 'steps', 'steps/s', 'ms/step', 'cpu ms/step'];
  const lines = rows.map((r) =>
    [
      r.qubits,
      r.params,
      r.shotsPerEval === 0 ? 'exact' : r.shotsPerEval,
      r.evalsPerStep,
      r.steps,
      r.stepsPerSecond.toFixed(1),
      r.msPerStep.toFixed(3),
      r.cpuMsPerStep.toFixed(3),
    ].map(String),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  console.log(format(header));
  for (const line of lines) console.log(format(line));
}

const program = new Command()
  .name('runtime-bench')
  .description('steps per second of build/qiot.wasm in Node')
  .option('--json', 'print JSON instead of a table', false)
  .option('--seconds <s>', 'timed seconds per configuration', positiveNumber, 1)
  .option('--module <path>', 'module file', DEFAULT_MODULE_PATH)
  .parse();

const options = program.opts<{ json: boolean; seconds: number; module: string }>();
const module = await QiotModule.load(options.module);
const size = statSync(options.module).size;
const rows = QUBITS.flatMap((qubits) => SHOTS.map((shots) => measure(module, qubits, shots, options.seconds)));
if (options.json) {
  console.log(JSON.stringify({ module: options.module, moduleBytes: size, node: process.version, rows }, null, 2));
} else {
  printTable(options.module, size, rows);
}
