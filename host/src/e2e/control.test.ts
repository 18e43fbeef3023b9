// `qiot stop`, `reset`, `attach` and `train/flash --monitor` as a user runs them (child
// processes) against the real posix board, with runs a host started and walked away from.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.ts';
import { encodeConfig } from '../config/encode.ts';
import { loadDataset } from '../data/load.ts';
import { packDataset } from '../data/pack.ts';
import { DeviceClient } from '../device/client.ts';
import { BoardState } from '../protocol/constants.ts';
import { ModuleTarget, readModuleImage } from '../train/module-target.ts';
import { runTraining } from '../train/run.ts';
import { MODULE_PATH, qiot, readModule, REPO, startBoard, type BoardSession } from '../../testing/harness.ts';

const CONFIG = join(REPO, 'examples/iris-nlr.json');

// Each test runs CLI processes (a few seconds each to start on a loaded machine): generous timeouts.
describe('control commands on the posix board', { timeout: 240_000 }, () => {
  let session: BoardSession;
  let port: string;
  beforeAll(async () => {
    session = await startBoard();
    port = session.board.port;
    expect((await session.client.upload(readModule())).committed).toBe(true);
    await session.client.close();
  });
  afterAll(async () => {
    await session?.close();
  });
  // A CLI process a test waits on a line from: killed if the test fails before it ends.
  const watched = new Set<ChildProcess>();
  const watch = (child: ChildProcess) => watched.add(child);
  afterEach(() => {
    for (const child of watched) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    watched.clear();
  });

  /** Starts a run as a host that then goes away (its link closed, the board training on). */
  async function startAndLeave(steps: number, telemetry: 'pause' | 'drop-oldest'): Promise<void> {
    const client = await DeviceClient.open(port);
    const cfg = loadConfig(CONFIG);
    const dataset = loadDataset(cfg)!;
    await client.configure(encodeConfig(cfg, dataset), packDataset(dataset));
    await client.train(steps, { onTelemetry: () => undefined }, { telemetry });
    await client.close();
  }

  async function boardStatus() {
    const client = await DeviceClient.open(port);
    try {
      return await client.status();
    } finally {
      await client.close();
    }
  }

  it('stop ends a run left training (DONE stopped, board idle); a second stop has nothing to stop', async () => {
    await startAndLeave(0, 'drop-oldest');
    const during = await boardStatus();
    expect(during.state).toBe(BoardState.TRAINING);
    const r = await qiot(['stop', '--port', port, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ port, board: 'posix', was: 'training', status: 'stopped' });
    // The steps DONE reported: no fewer than the board had done when we looked, and what it reports idle.
    const after = await boardStatus();
    expect(after.state).toBe(BoardState.IDLE);
    expect(out.steps).toBeGreaterThanOrEqual(during.step);
    expect(out.steps).toBe(after.step);

    const again = await qiot(['stop', '--port', port]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/posix on .* is idle: nothing to stop/);
  });

  it('attach follows a paused run from the ring to DONE: every record once, no gap, same losses as the in-process module', async () => {
    const steps = 150; // more than the 64-record ring: the board pauses until someone acknowledges
    await startAndLeave(steps, 'pause');
    const r = await qiot(['attach', '--port', port, '--json']);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const records = lines.filter((l) => l.type === 'telemetry');
    expect(records.map((t) => t.step)).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
    expect(records.slice(1).map((t) => t.tseq)).toEqual(records.slice(1).map((_, i) => records[0].tseq + i + 1));
    expect(lines.at(-1)).toMatchObject({ type: 'done', status: 'completed', steps, records: steps, gaps: 0, lost_records: 0 });

    // Independent engine: the same config and seed in-process give the same mini-batch losses.
    const node = new ModuleTarget(await readModuleImage(MODULE_PATH));
    const losses: number[] = [];
    await runTraining(node, loadConfig(CONFIG, { steps }), {
      qiotVersion: 'e2e',
      sinks: [(rec) => (rec as { type: string }).type === 'step' && losses.push((rec as unknown as { loss: number }).loss)],
    });
    expect(records.map((t) => t.loss)).toEqual(losses);
  });

  it('attach after the ring overwrote the run’s first records shows and counts that gap; Ctrl-C detaches', async () => {
    await startAndLeave(0, 'drop-oldest');
    // Round trips until the board has overwritten part of its 64-record ring with this run's records.
    let status = await boardStatus();
    for (let i = 0; i < 200 && status.step < 100; i++) status = await boardStatus();
    expect(status.step).toBeGreaterThanOrEqual(100);
    const runStart = status.nextTseq - status.step; // one record per step, steps from 1
    let seen = 0;
    const r = await qiot(['attach', '--port', port], (line, child) => {
      watch(child);
      if (/^tseq \d+ {2}step \d+ {2}loss /.test(line) && ++seen === 70) child.kill('SIGINT');
    });
    expect(r.code).toBe(130);
    const gap = /^gap: records (\d+)–(\d+) lost \((\d+); the ring overwrote them\)$/m.exec(r.stdout);
    expect(gap).not.toBeNull();
    expect(Number(gap![1])).toBe(runStart);
    expect(Number(gap![3])).toBe(Number(gap![2]) - runStart + 1);
    const first = /^tseq (\d+) {2}step (\d+) /m.exec(r.stdout)!;
    expect(Number(first[1])).toBe(Number(gap![2]) + 1);
    expect(Number(first[2])).toBe(Number(first[1]) - runStart + 1);
    expect(r.stdout).toMatch(/detached after \d+ records \(1 gaps, \d+ records lost\); the board keeps training/);
    expect((await boardStatus()).state).toBe(BoardState.TRAINING); // detaching does not stop it
    expect((await qiot(['stop', '--port', port])).code).toBe(0);
  });

  it('attach to an idle board exits 1 saying there is no run', async () => {
    const r = await qiot(['attach', '--port', port]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/posix on .* is idle: no run to attach to/);
  });

  it('reset restarts the firmware during a run: answering again, module kept, run gone', async () => {
    await startAndLeave(0, 'drop-oldest');
    const r = await qiot(['reset', '--port', port, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ port, board: 'posix' });
    const client = await DeviceClient.open(port);
    try {
      expect((await client.status()).state).toBe(BoardState.IDLE);
      expect(client.info.moduleSize).toBe(readModule().length);
    } finally {
      await client.close();
    }
  });

  it('train --monitor prints the run, then monitors the board until Ctrl-C (exit of the run)', async () => {
    const r = await qiot(
      ['train', '--port', port, '--config', CONFIG, '--steps', '3', '--out', '/dev/null', '--force', '--monitor'],
      (line, child) => {
        watch(child);
        if (/connected to posix .* on /.test(line)) child.kill('SIGINT');
      },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/completed/);
    expect(r.stdout).toMatch(/connected to posix \(firmware .*\) on /);
  });

  it('flash --monitor shows the link lost and waits for the board when it goes away; Ctrl-C ends it with the upload’s exit 0', async () => {
    const other = await startBoard();
    await other.client.close();
    const r = await qiot(['flash', MODULE_PATH, '--port', other.board.port, '--monitor'], (line, child) => {
      watch(child);
      if (/connected to posix .* on /.test(line)) other.board.kill('SIGKILL');
      if (/link lost: .*; waiting for the board on /.test(line)) child.kill('SIGINT');
    });
    await other.close();
    expect(r.stdout).toMatch(/^flashed .* slot \d active/m);
    expect(r.stdout).toMatch(/link lost: .*; waiting for the board on /);
    expect(r.code).toBe(0);
  });
});
