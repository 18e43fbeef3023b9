// `make bench` entry point: measures every piece of issue 6 in one run, writes
// the results JSON and renders the Markdown report with its figures.
import { Command, InvalidArgumentError } from 'commander';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import {
  EXACT_QUBITS,
  FULL_PLAN,
  FULL_RUN_BUDGET_SECONDS,
  GRADIENT_QUBITS,
  PEER_QUBITS,
  QUICK_PLAN,
  QUICK_QUBITS,
  QUICK_SCALING_LAYERS,
  QUICK_SCALING_QUBITS,
  SCALING_LAYERS,
  SCALING_LAYERS_QUBITS,
  SCALING_QUBITS,
  SCALING_QUBITS_LAYERS,
} from './config.ts';
import { loadQiotNode, type QiotNode } from './contenders/qiot-node.ts';
import { BenchResults, notMeasured, type NotMeasured } from './results-schema.ts';
import { measurePeers, GateFailure } from './sections/peers.ts';
import { measureNative } from './sections/native.ts';
import { measureScaling } from './sections/scaling.ts';
import { interpreterItems } from './sections/interpreter.ts';
import { measureFootprint } from './sections/footprint.ts';
import { measureLink } from './sections/link.ts';
import { rv32Budgets } from './sections/rv32.ts';
import { measureIsolated } from './sections/isolated.ts';
import { measureGradients } from './sections/gradients.ts';
import { measureExactPeers } from './sections/exact-peers.ts';
import { renderReport } from './report/render.ts';
import { missingRequired, REQUIRABLE } from './required.ts';

interface Options {
  quick: boolean;
  out: string;
  doc: string;
  figures: string;
  module: string;
  venvPython: string;
  reference: string;
  wasm3: string;
  posixBoard: string;
  scratch: string;
  require: string[];
  only?: Unit[];
  renderOnly: boolean;
}

function loadQiot(path: string): QiotNode | NotMeasured {
  if (!existsSync(path)) return notMeasured(`${path} not built (make runtime)`);
  return loadQiotNode(path);
}

/** Units a run can be limited to (--only); each writes these results keys. */
const UNITS = {
  peers: ['peers', 'isolated'],
  'exact-peers': ['exactPeers'],
  native: ['native', 'interpreter', 'footprint'],
  link: ['link'],
  gradients: ['gradients'],
  scaling: ['scaling'],
} as const satisfies Record<string, readonly (keyof BenchResults)[]>;
type Unit = keyof typeof UNITS;
const UNIT_NAMES = Object.keys(UNITS) as Unit[];

/** Results of an earlier run, whose sections a partial run (--only) keeps. */
function previousResults(path: string): BenchResults {
  if (!existsSync(path)) throw new Error(`--only keeps the other sections of ${path}, which does not exist: run the full bench first`);
  return BenchResults.parse(JSON.parse(readFileSync(path, 'utf8')));
}

async function measureUnits(opts: Options, units: readonly Unit[], qiot: QiotNode | NotMeasured, log: (line: string) => void) {
  const plan = opts.quick ? QUICK_PLAN : FULL_PLAN;
  const scratch = opts.scratch;
  const out: Partial<BenchResults> = {};
  if (units.includes('peers')) {
    log('item 1: peers');
    out.peers = await measurePeers({ plan, qubits: opts.quick ? QUICK_QUBITS : PEER_QUBITS, python: opts.venvPython, qiot, log });
    out.isolated = measureIsolated(out.peers.measured ? out.peers.rows : null, opts.quick ? 0.05 : 0.5, log);
  }
  if (units.includes('exact-peers')) {
    log('issue 14: exact-gradient peers');
    // Quick runs (make test) have the PennyLane venv only: JAX and Qiskit are reported as not installed.
    const qubits = opts.quick ? QUICK_QUBITS : EXACT_QUBITS;
    out.exactPeers = await measureExactPeers({ plan, qubits, python: opts.venvPython, deviceModule: opts.module, log });
  }
  if (units.includes('native')) {
    log('item 2: native limit');
    const native = await measureNative({
      plan,
      qubits: opts.quick ? QUICK_QUBITS : PEER_QUBITS,
      qiot,
      modulePath: opts.module,
      referenceBinary: opts.reference,
      wasm3Binary: opts.wasm3,
      posixBoardBinary: opts.posixBoard,
      scratch,
      log,
    });
    log('items 3–4: interpreter, footprint');
    const rv32 = opts.quick ? { error: 'skipped in --quick runs (bench/rv32 has its own tests)' } : rv32Budgets(log);
    out.native = native;
    out.interpreter = interpreterItems({ native, rv32 });
    out.footprint = measureFootprint({ modulePath: opts.module, rv32 });
  }
  if (units.includes('link')) {
    log('item 5: link');
    out.link = measureLink(log);
  }
  if (units.includes('gradients')) {
    log('issue 14: gradients, number formats, shots');
    out.gradients = await measureGradients({ plan, qubits: opts.quick ? QUICK_QUBITS : GRADIENT_QUBITS, modulePath: opts.module, log });
  }
  if (units.includes('scaling')) {
    log('item 6: scaling');
    out.scaling = await measureScaling({
      plan,
      qubits: opts.quick ? QUICK_SCALING_QUBITS : SCALING_QUBITS,
      qubitsLayers: SCALING_QUBITS_LAYERS,
      layers: opts.quick ? QUICK_SCALING_LAYERS : SCALING_LAYERS,
      layersQubits: SCALING_LAYERS_QUBITS,
      qiot,
      log,
    });
  }
  return out;
}

const reportPaths = (opts: Options) => ({
  doc: opts.doc,
  figures: opts.figures,
  results: opts.out,
  fleet: join(dirname(opts.out), 'fleet-results.json'),
});

/** --render-only: the report of an earlier run again, after a change to the report code; nothing measured. */
async function renderOnly(opts: Options): Promise<void> {
  if (!existsSync(opts.out)) throw new Error(`--render-only renders ${opts.out}, which does not exist: run the bench first`);
  await renderReport(BenchResults.parse(JSON.parse(readFileSync(opts.out, 'utf8'))), reportPaths(opts));
  process.stderr.write(`bench: rendered ${opts.doc} from ${opts.out}\n`);
}

async function main(opts: Options): Promise<void> {
  if (opts.renderOnly) return renderOnly(opts);
  const started = Date.now();
  const loadAtStart = loadavg();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const plan = opts.quick ? QUICK_PLAN : FULL_PLAN;
  const qiot = loadQiot(opts.module);
  const moduleBytes = 'bytes' in qiot ? qiot.bytes : null;
  const units = opts.only ?? UNIT_NAMES;
  const previous = opts.only ? previousResults(opts.out) : null;

  log(
    `bench: ${opts.quick ? 'quick' : 'full'} run, ${plan.rounds} interleaved rounds per comparison${opts.only ? `, only ${units.join(', ')}` : ''}`,
  );
  const measured = await measureUnits(opts, units, qiot, log);

  const durationSeconds = (Date.now() - started) / 1000;
  const { meta: _, ...kept } = previous ?? {};
  const results = BenchResults.parse({
    ...kept,
    ...measured,
    meta: {
      startedAt: new Date(started).toISOString(),
      durationSeconds,
      quick: opts.quick,
      machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, loadAtStart, loadAtEnd: loadavg() },
      module: moduleBytes
        ? { path: opts.module, bytes: moduleBytes.length, sha256: createHash('sha256').update(moduleBytes).digest('hex') }
        : null,
      plan,
      ...(previous ? { partial: { sections: [...units], othersFrom: previous.meta.partial?.othersFrom ?? previous.meta.startedAt } } : {}),
    },
  });
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, JSON.stringify(results, null, 2) + '\n');
  await renderReport(results, reportPaths(opts));
  log(`bench: wrote ${opts.out} and ${opts.doc} in ${durationSeconds.toFixed(0)} s`);
  const missing = missingRequired(results, opts.require);
  if (missing.length > 0) throw new Error(`required pieces were not measured: ${missing.join('; ')}`);
  if (!opts.quick && !opts.only && durationSeconds > FULL_RUN_BUDGET_SECONDS) {
    log(`bench: warning: the full run took ${durationSeconds.toFixed(0)} s, over its ${FULL_RUN_BUDGET_SECONDS} s budget`);
  }
}

const program = new Command()
  .name('bench')
  .description('qiot benchmarks (issue 6): peers, native limit, interpreter cost, footprint, link, scaling')
  .option('--quick', 'one size, few rounds: proves the pipeline end to end', false)
  .option('--render-only', 'measure nothing: render --doc and --figures again from the results in --out', false)
  .requiredOption('--out <file>', 'results JSON')
  .requiredOption('--doc <file>', 'Markdown report')
  .requiredOption('--figures <dir>', 'directory of the SVG/PNG figures')
  .option('--module <file>', 'qiot module', 'build/qiot.wasm')
  .option('--venv-python <file>', 'python of the PennyLane virtualenv', 'build/bench-venv/bin/python')
  .option('--reference <file>', 'native plain-C reference kernel', 'build/bench/qref-native')
  .option('--wasm3 <file>', 'native wasm3 step timer', 'build/bench/wasm3-step-bench')
  .option('--posix-board <file>', 'posix board firmware', 'build/firmware/posix/qiot-board')
  .option('--scratch <dir>', 'config files and board state written during the run', 'build/bench/scratch')
  .option(
    '--require <sections>',
    `fail unless these sections were measured (comma-separated: ${REQUIRABLE.join(', ')})`,
    (value: string) => {
      const names = value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const unknown = names.filter((n) => !(REQUIRABLE as readonly string[]).includes(n));
      if (unknown.length > 0)
        throw new InvalidArgumentError(`unknown section(s) ${unknown.join(', ')}; choose from ${REQUIRABLE.join(', ')}`);
      return names;
    },
    [] as string[],
  )
  .option(
    '--only <sections>',
    `measure only these sections (comma-separated: ${UNIT_NAMES.join(', ')}); the others are kept from --out`,
    (value: string) => {
      const names = value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const unknown = names.filter((n) => !(UNIT_NAMES as string[]).includes(n));
      if (names.length === 0 || unknown.length > 0)
        throw new InvalidArgumentError(`unknown section(s) ${unknown.join(', ') || '(none given)'}; choose from ${UNIT_NAMES.join(', ')}`);
      return names as Unit[];
    },
  )
  .action(async (opts: Options) => {
    try {
      await main(opts);
    } catch (error) {
      const kind = error instanceof GateFailure ? 'correctness gate failed, no timing reported' : 'failed';
      process.stderr.write(`bench: ${kind}: ${(error as Error).message}\n`);
      process.exitCode = 1;
    }
  });

await program.parseAsync();
