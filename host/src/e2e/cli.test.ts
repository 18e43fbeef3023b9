// The device commands as a user runs them (child processes of host/bin/qiot.js)
// against the real posix board.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchPosixBoard, type PosixBoard } from '../boards/posix.ts';
import { MODULE_PATH, qiot, scratchDir } from '../../testing/harness.ts';
import { tinyModule } from '../../testing/tiny-module.ts';

const stepRecords = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((r) => r.type === 'step')
    .map(({ step_us: _timing, ...rest }) => rest);

const lastRecord = (path: string) => JSON.parse(readFileSync(path, 'utf8').trim().split('\n').pop()!);

describe('qiot device commands (child processes, posix board)', () => {
  const scratch = scratchDir();
  let board: PosixBoard;
  beforeAll(async () => {
    board = await launchPosixBoard();
  });
  afterAll(async () => {
    await board?.stop();
    scratch.remove();
  });

  it('info on a port that does not exist exits 3 naming the port', async () => {
    const r = await qiot(['info', '--port', '/dev/qiot-no-such-port']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/\/dev\/qiot-no-such-port/);
    expect(r.stderr).toMatch(/cannot open/);
  });

  /** A config whose one step is estimated at 4.73e10 amplitude updates (over the bound). */
  const slowConfig = (name: string): string => {
    const file = join(scratch.dir, name);
    writeFileSync(
      file,
      JSON.stringify({
        qubits: 10,
        layers: 12,
        cost: 'class-sq',
        batch: 200,
        dataset: { name: 'synthetic', samples: 250, features: 10, test_fraction: 0.2 },
        optimizer: { name: 'sgd', lr: 0.1, gradient: 'parameter-shift' },
      }),
    );
    return file;
  };

  it('train refuses a config whose step cost is over the bound (exit 2, naming the estimate) unless --allow-slow', async () => {
    const file = slowConfig('slow.json');
    const refused = await qiot(['train', '--port', '/dev/qiot-no-such-port', '--config', file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/one step is estimated at 4\.73e\+10 amplitude updates .*--allow-slow/);
    // Allowed, it goes on to the board: here a port that does not exist (exit 3).
    const allowed = await qiot(['train', '--port', '/dev/qiot-no-such-port', '--config', file, '--allow-slow']);
    expect(allowed.code).toBe(3);
    expect(allowed.stderr).toMatch(/qiot-no-such-port/);
  });

  it('fleet train and sweep hold a config to the same step-cost bound (exit 2 before any broker) unless --allow-slow', async () => {
    const file = slowConfig('slow-fleet.json');
    const noBroker = ['--broker', 'mqtt://127.0.0.1:1'];
    const out = join(scratch.dir, 'slow-out');
    for (const args of [
      ['fleet', 'train', '--config', file, '--out', out, ...noBroker],
      ['sweep', file, '--out', out, ...noBroker],
    ]) {
      const refused = await qiot(args);
      expect(refused.code, args.join(' ')).toBe(2);
      expect(refused.stderr).toMatch(/one step is estimated at 4\.73e\+10 amplitude updates .*--allow-slow/);
      // Allowed, it goes on to the broker: here one that does not listen (exit 3).
      const allowed = await qiot([...args, '--allow-slow']);
      expect(allowed.code, `${args.join(' ')} --allow-slow`).toBe(3);
    }
  });

  it('ports exits 0 even without udevadm and does not list a pseudo-terminal no emulator registered', async () => {
    const r = await qiot(['ports', '--json']);
    expect(r.code).toBe(0);
    const listing = JSON.parse(r.stdout);
    expect(listing.serial.map((p: { path: string }) => p.path)).not.toContain(board.port);
    expect(listing.emulators.map((e: { port: string }) => e.port)).not.toContain(board.port);
  });

  it('flash reports the active slot and the module’s sha256; info shows it', async () => {
    const r = await qiot(['flash', 'build/qiot.wasm', '--port', board.port, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    const digest = createHash('sha256').update(readFileSync(MODULE_PATH)).digest('hex');
    expect(result.sha256).toBe(digest);
    expect([0, 1]).toContain(result.active_slot);
    const info = JSON.parse((await qiot(['info', '--port', board.port, '--json'])).stdout);
    expect(info.module_sha256).toBe(digest);
    expect(info.active_slot).toBe(result.active_slot);
  });

  it('flash of a module of another ABI exits 1 naming ABI_MISMATCH; the previous module stays', async () => {
    const before = JSON.parse((await qiot(['info', '--port', board.port, '--json'])).stdout).module_sha256;
    const file = join(scratch.dir, 'abi2.wasm');
    writeFileSync(file, tinyModule({ abiVersion: 2 }));
    const r = await qiot(['flash', file, '--port', board.port]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ABI_MISMATCH .*module ABI version 2/);
    expect(JSON.parse((await qiot(['info', '--port', board.port, '--json'])).stdout).module_sha256).toBe(before);
  });

  it('flash of a file that is not WebAssembly exits 2 before touching the board', async () => {
    const file = join(scratch.dir, 'not.wasm');
    writeFileSync(file, 'hello');
    const r = await qiot(['flash', file, '--port', board.port]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a WebAssembly module/);
  });

  it('train refuses a layerwise run whose later segment starts from more θ than TRAIN_START holds: exit 2 before any step', async () => {
    const file = join(scratch.dir, 'wide-layerwise.json');
    const log = join(scratch.dir, 'wide-layerwise.jsonl');
    // 8 qubits × 10 layers of hea = 160 parameters (the module holds 256); segment 1 starts from all of them.
    const cfg = { qubits: 8, layers: 10, ansatz: 'hea', cost: 'local', optimizer: { name: 'sgd', lr: 0.1 }, steps: 4, seed: 1 };
    writeFileSync(file, JSON.stringify({ ...cfg, schedule: { kind: 'layerwise', groups: 2, final_phase: false } }));
    const r = await qiot(['train', '--port', board.port, '--config', file, '--out', log, '--allow-slow']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /layerwise schedule: segment 1 starts from θ of 160 parameters; the board on \S+ \(θ travels in one TRAIN_START frame\) takes at most 127 — nothing was run/,
    );
    const records = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.map((x) => x.type)).toEqual(['header', 'summary']);
    expect(records[1]).toMatchObject({ status: 'failed', steps: 0 });
  });

  it('train writes the same step records as sim for the same config and seed', async () => {
    const boardLog = join(scratch.dir, 'board.jsonl');
    const simLog = join(scratch.dir, 'sim.jsonl');
    const common = ['--config', 'examples/iris-nlr.json', '--steps', '5', '--seed', '3'];
    const t = await qiot(['train', '--port', board.port, ...common, '--out', boardLog]);
    expect(t.stderr).toBe('');
    expect(t.code).toBe(0);
    const s = await qiot(['sim', ...common, '--out', simLog]);
    expect(s.code).toBe(0);
    const boardSteps = stepRecords(boardLog);
    expect(boardSteps).toHaveLength(5);
    expect(boardSteps).toEqual(stepRecords(simLog));
    const header = JSON.parse(readFileSync(boardLog, 'utf8').split('\n')[0]);
    expect(header.target).toMatchObject({ kind: 'board', board: 'posix', port: board.port });
    expect(lastRecord(boardLog)).toMatchObject({ type: 'summary', status: 'completed', steps: 5 });
  });

  it('Ctrl-C during train stops the board run, keeps the log with status interrupted, exits 130', async () => {
    const log = join(scratch.dir, 'interrupted.jsonl');
    let signalled = false;
    const r = await qiot(
      ['train', '--port', board.port, '--config', 'examples/iris-nlr.json', '--steps', '0', '--json', '--out', log],
      (line, child) => {
        if (!signalled && JSON.parse(line).type === 'step') {
          signalled = true;
          child.kill('SIGINT');
        }
      },
    );
    expect(r.code).toBe(130);
    const summary = lastRecord(log);
    expect(summary).toMatchObject({ type: 'summary', status: 'interrupted' });
    expect(summary.steps).toBeGreaterThanOrEqual(1);
    const status = JSON.parse((await qiot(['info', '--port', board.port, '--json'])).stdout);
    expect(status.state).toBe('idle');
  });
});

describe('qiot train when the board dies mid-run', () => {
  it('exits 3 with a clear message and still writes the summary', async () => {
    const scratch = scratchDir();
    const board = await launchPosixBoard();
    try {
      expect((await qiot(['flash', 'build/qiot.wasm', '--port', board.port])).code).toBe(0);
      const log = join(scratch.dir, 'lost.jsonl');
      let killed = false;
      const r = await qiot(
        ['train', '--port', board.port, '--config', 'examples/iris-nlr.json', '--steps', '0', '--json', '--out', log],
        (line) => {
          if (!killed && JSON.parse(line).type === 'step') {
            killed = true;
            board.kill('SIGKILL');
          }
        },
      );
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/lost the link to \/dev\/pts\/\d+/);
      expect(lastRecord(log)).toMatchObject({ type: 'summary', status: 'failed' });
    } finally {
      await board.stop();
      scratch.remove();
    }
  });

  it('info against a silent pseudo-terminal exits 3 after polling HELLO', async () => {
    const peer = spawn(
      'python3',
      ['-c', 'import os, pty, sys, tty\nm, s = pty.openpty()\ntty.setraw(s)\nprint(os.ttyname(s), flush=True)\nsys.stdin.read()'],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    try {
      const path: string = await new Promise((resolve) => createInterface({ input: peer.stdout! }).once('line', (l) => resolve(l.trim())));
      const r = await qiot(['info', '--port', path]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/no answer from .* HELLO/);
    } finally {
      peer.kill('SIGKILL');
    }
  });
});
