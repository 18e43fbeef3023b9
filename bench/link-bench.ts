// Link benchmark (a script, not a test): an emulated board of the registry (posix by
// default) over its real pseudo-terminal. Measures
//   - module upload: payload throughput and payload / wire byte ratio (host → board),
//   - telemetry: wire bytes per training step (board → host),
//   - step time: the board's own step_us (wasm3) vs the same module and config
//     stepped in Node, and their ratio; the telemetry of both must be bit-identical.
// Usage: npx tsx bench/link-bench.ts [--board posix] [--config examples/iris-nlr.json] [--steps 30] [--reps 5] [--json]
import { Command, Option } from 'commander';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../host/src/config/load.ts';
import { BoardTarget } from '../host/src/device/board-target.ts';
import { DeviceClient } from '../host/src/device/client.ts';
import { emulatedBoards } from '../host/src/boards/registry.ts';
import { ModuleTarget, readModuleImage } from '../host/src/train/module-target.ts';
import { runTraining } from '../host/src/train/run.ts';
import { REAL_BOARD } from '../host/src/realboard/limits.ts';
import { openSerialTransport } from '../host/src/transport/serial.ts';
import type { Transport } from '../host/src/transport/transport.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));

/** Counts the bytes that cross a transport in each direction. */
class CountingTransport implements Transport {
  tx = 0;
  rx = 0;
  constructor(private readonly inner: Transport) {
    inner.onData((c) => (this.rx += c.length));
  }
  get description() {
    return this.inner.description;
  }
  get isOpen() {
    return this.inner.isOpen;
  }
  write(bytes: Uint8Array) {
    this.tx += bytes.length;
    return this.inner.write(bytes);
  }
  onData(l: (c: Uint8Array) => void) {
    this.inner.onData(l);
  }
  onClose(l: (e: Error | null) => void) {
    this.inner.onClose(l);
  }
  close() {
    return this.inner.close();
  }
  reset() {
    this.tx = 0;
    this.rx = 0;
  }
}

/** The module with a custom section that differs per repetition, so every upload is a full one (no resume). */
function uploadVariant(module: Uint8Array, rep: number): Uint8Array {
  const name = Buffer.from(`qiot-bench-${rep}`);
  return Uint8Array.from([...module, 0x00, name.length + 1, name.length, ...name]);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** utime + stime of a process of this machine and its live children, in seconds (/proc/PID/stat,
 *  fields 14 and 15): the posix board runs in a child of its watchdog supervisor. */
function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return ticks / CLOCK_TICKS_PER_SECOND + children.reduce((sum, child) => sum + processCpuSeconds(child), 0);
}
const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const boards = emulatedBoards();
  const opts = new Command('link-bench')
    .addOption(new Option('--board <name>', 'emulated board').choices(boards.map((b) => b.name)).default('posix'))
    .option('--config <file>', 'run config', join(REPO, 'examples/iris-nlr.json'))
    .option('--steps <n>', 'training steps per run', (v) => Number.parseInt(v, 10), 30)
    .option('--reps <n>', 'upload repetitions', (v) => Number.parseInt(v, 10), 5)
    .option('--json', 'print one JSON object')
    .parse()
    .opts<{ board: string; config: string; steps: number; reps: number; json?: boolean }>();

  const image = await readModuleImage(join(REPO, 'build/qiot.wasm'));
  const cfg = loadConfig(opts.config, { steps: opts.steps });
  const definition = boards.find((b) => b.name === opts.board)!;
  const board = await definition.launch!({});
  try {
    const link = new CountingTransport(await openSerialTransport(board.port, REAL_BOARD.baudRate));
    const client = await DeviceClient.connect(link);

    const uploads: { seconds: number; payload: number; tx: number; rx: number }[] = [];
    for (let rep = 0; rep < opts.reps; rep++) {
      const module = uploadVariant(image.bytes, rep);
      link.reset();
      const t0 = performance.now();
      const result = await client.upload(module);
      const seconds = (performance.now() - t0) / 1000;
      if (!result.committed || result.resumedFrom !== 0) throw new Error('upload was not a full, committed upload');
      uploads.push({ seconds, payload: module.length, tx: link.tx, rx: link.rx });
    }
    // The real module last, so training runs it.
    await client.upload(image.bytes);

    // CPU time besides step_us (wall time): on a loaded machine a long board step is preempted
    // while a sub-millisecond Node step mostly is not, which inflates the wall-time ratio.
    const nodeCpu0 = process.cpuUsage();
    const nodeRun = await runTraining(new ModuleTarget(image), cfg, { qiotVersion: 'bench', sinks: [] });
    const nodeCpu = process.cpuUsage(nodeCpu0);
    link.reset();
    const boardCpu0 = board.pid ? processCpuSeconds(board.pid) : null;
    const boardRun = await runTraining(new BoardTarget(client), cfg, { qiotVersion: 'bench', sinks: [] });
    const boardCpu = boardCpu0 !== null && board.pid ? processCpuSeconds(board.pid) - boardCpu0 : null;
    const telemetryRx = link.rx;
    const identical = boardRun.steps.length === nodeRun.steps.length && boardRun.steps.every((s, i) => s.raw === nodeRun.steps[i].raw);
    await client.close();

    const boardUs = boardRun.steps.map((s) => s.step_us ?? NaN);
    const nodeUs = nodeRun.steps.map((s) => s.step_us ?? NaN);
    const results = {
      board: definition.name,
      config: opts.config,
      steps: boardRun.steps.length,
      module_bytes: image.bytes.length,
      upload: {
        repetitions: uploads.length,
        median_seconds: median(uploads.map((u) => u.seconds)),
        payload_kib_per_s: median(uploads.map((u) => u.payload / 1024 / u.seconds)),
        payload_over_wire_tx: mean(uploads.map((u) => u.payload / u.tx)),
        wire_rx_bytes: mean(uploads.map((u) => u.rx)),
      },
      telemetry: {
        wire_bytes_per_step: telemetryRx / boardRun.steps.length,
        record_bytes: 64,
      },
      step_time: {
        board_median_us: median(boardUs),
        node_median_us: median(nodeUs),
        board_over_node: median(boardUs) / median(nodeUs),
        telemetry_bit_identical: identical,
        // Whole runs (every step, its telemetry and, for Node, the harness around it) over the steps.
        node_cpu_us_per_step: (nodeCpu.user + nodeCpu.system) / nodeRun.steps.length,
        board_cpu_us_per_step: boardCpu === null ? null : (boardCpu * 1e6) / boardRun.steps.length,
        board_wall_us_total: boardUs.reduce((a, b) => a + b, 0),
      },
    };
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      return;
    }
    const rows: [string, string][] = [
      ['config', `${opts.config} (${results.steps} steps)`],
      ['module', `${results.module_bytes} B`],
      ['upload time (median of ' + uploads.length + ')', `${(results.upload.median_seconds * 1000).toFixed(1)} ms`],
      ['upload payload throughput', `${results.upload.payload_kib_per_s.toFixed(0)} KiB/s`],
      ['upload payload / wire bytes (host → board)', results.upload.payload_over_wire_tx.toFixed(3)],
      ['upload wire bytes board → host (acks)', results.upload.wire_rx_bytes.toFixed(0)],
      ['telemetry wire bytes per step (64-byte record)', results.telemetry.wire_bytes_per_step.toFixed(1)],
      [`step time, ${definition.name} board (wasm3), median`, `${results.step_time.board_median_us.toFixed(0)} µs`],
      ['step time, Node, median', `${results.step_time.node_median_us.toFixed(0)} µs`],
      ['board / Node', `${results.step_time.board_over_node.toFixed(1)} ×`],
      [
        'CPU per step, board (whole run / steps)',
        results.step_time.board_cpu_us_per_step === null ? 'n/a' : `${results.step_time.board_cpu_us_per_step.toFixed(0)} µs`,
      ],
      ['CPU per step, Node (whole run / steps, harness included)', `${results.step_time.node_cpu_us_per_step.toFixed(0)} µs`],
      ['telemetry bit-identical', identical ? 'yes' : 'NO'],
    ];
    const w = Math.max(...rows.map(([k]) => k.length));
    process.stdout.write(rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n') + '\n');
    if (!identical) process.exitCode = 1;
  } finally {
    await board.stop();
  }
}

await main();
