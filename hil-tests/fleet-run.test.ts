// The fleet HIL runner (run by `make test` through the root vitest config, not by the HIL suite
// itself): board selection, and one run on a real Mosquitto over a `qiot gateway` with 2 posix
// boards — one open, one provisioned over its own line before the gateway attached it (the suite
// gets its owner key in QIOT_KEY) — and an rv32 board under QEMU, plus two boards that must fail
// it: one whose 2nd telemetry record of every run has a flipped bit (a board that trains
// differently from Node) and a retained "online" status nobody answers for (a gateway that never
// answers). The honest boards pass with the link-level tests skipped by capability and the
// trial-boot/watchdog/rollback and refused/trapping-module tests run through the fleet (the signed-module test on the
// provisioned board); the liar fails the bit-identical checks; the silent one fails with a clear
// message within the suite's timeouts.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchPosixBoard } from '../host/src/boards/posix.ts';
import type { RunningBoard } from '../host/src/boards/board.ts';
import { DeviceClient } from '../host/src/device/client.ts';
import { BoardBackend } from '../host/src/fleet/backends.ts';
import { FleetClient } from '../host/src/fleet/client.ts';
import { Executor, type ExecutorBackend } from '../host/src/fleet/executor.ts';
import { encodeJson, type OnlineStatus, type Status } from '../host/src/fleet/messages.ts';
import { topics } from '../host/src/fleet/topics.ts';
import type { TrainingTarget } from '../host/src/train/target.ts';
import { controlKeyOf, encodeProvision } from '../host/src/security/auth.ts';
import { generateSigningKey, writeNewKeyFile } from '../host/src/security/keys.ts';
import { MODULE_PATH, QIOT_CLI, readModule, REPO, scratchDir, startBoard } from '../host/testing/harness.ts';
import { type Mosquitto, startMosquitto } from '../host/testing/mosquitto.ts';
import { FleetRunError, jobsFromEnv, selectBoards } from './fleet-run.ts';
import { FLEET_HIL } from './limits.ts';

const online = (id: string, board: string, tags: string[] = []): OnlineStatus => ({
  v: 1,
  id,
  state: 'online',
  kind: 'board',
  target: { kind: 'board', board, firmware_version: '0.1.0', port: '/dev/pts/1' },
  module_sha256: null,
  abi_version: null,
  host: 'h',
  tags,
  busy: null,
  queued: 0,
  dropped: 0,
});

describe('selectBoards / jobsFromEnv', () => {
  const statuses: Status[] = [
    online('a-posix-0', 'posix', ['lab1']),
    online('a-rv32-0', 'rv32-qemu-virt', ['lab2']),
    { ...online('a-worker-0', 'posix'), kind: 'worker', target: { kind: 'node' } },
    { v: 1, id: 'a-posix-1', state: 'offline', reason: 'board link lost' },
  ];
  const ids = (filter?: string) => selectBoards(statuses, filter).map((s) => s.id);

  it('takes every online board (no workers), or those named by id, board name (registry or INFO) or tag', () => {
    expect(ids()).toEqual(['a-posix-0', 'a-rv32-0']);
    expect(ids('rv32')).toEqual(['a-rv32-0']);
    expect(ids('rv32-qemu-virt')).toEqual(['a-rv32-0']);
    expect(ids('a-posix-0, tag:lab2')).toEqual(['a-posix-0', 'a-rv32-0']);
  });

  it('an item matching no online board is a usage error listing them; an offline board says why', () => {
    expect(() => ids('esp32')).toThrow(/'esp32' matches no online board .*a-posix-0 \(posix\), a-rv32-0 \(rv32\)/);
    expect(() => ids('a-worker-0')).toThrow(FleetRunError);
    expect(() => ids('a-posix-1')).toThrow(/a-posix-1 is offline \(board link lost\)/);
  });

  it('QIOT_HIL_JOBS is a whole number ≥ 1, FLEET_HIL.jobs by default', () => {
    expect(jobsFromEnv(undefined)).toBe(FLEET_HIL.jobs);
    expect(jobsFromEnv('2')).toBe(2);
    expect(() => jobsFromEnv('0')).toThrow(/QIOT_HIL_JOBS=0/);
    expect(() => jobsFromEnv('many')).toThrow(/whole number/);
  });
});

/** A posix board whose executor flips one bit of the 2nd telemetry record of every run. */
function lyingBackend(honest: BoardBackend): ExecutorBackend {
  const lying = (real: TrainingTarget): TrainingTarget => ({
    identity: () => real.identity(),
    configure: (config, dataset) => real.configure(config, dataset),
    stop: () => real.stop(),
    train: (steps, onStep) => {
      let n = 0;
      return real.train(steps, (s) => {
        if (++n !== 2) return onStep(s);
        const raw = Uint8Array.from(s.raw);
        raw[raw.length - 1] ^= 1;
        onStep({ ...s, raw });
      });
    },
  });
  return {
    kind: 'board',
    identity: () => honest.identity(),
    info: () => honest.info(),
    flash: (m) => honest.flash(m),
    readParams: () => honest.readParams(),
    writeParams: (t) => honest.writeParams(t),
    reset: () => honest.reset(),
    rollback: () => honest.rollback(),
    confirm: () => honest.confirm(),
    target: () => lying(honest.target()),
  };
}

const junit = (id: string) => join(REPO, 'build', 'hil', `junit-fleet-${id}.xml`);
const count = (xml: string, re: RegExp) => xml.match(re)?.length ?? 0;
/** The JUnit file has the test named `name` run (a testcase of that name with neither skip nor failure). */
const ran = (xml: string, name: string) =>
  new RegExp(`<testcase [^>]*name="[^"]*${name.replace(/[()]/g, '\\$&')}"[^>]*>\\s*</testcase>`).test(xml);

describe('fleet HIL on a gateway (Mosquitto)', () => {
  const good = { 'hilx-posix-0': 'posix', 'hilx-posix-1': 'posix', 'hilx-rv32-0': 'rv32' };
  const provisionedId = 'hilx-posix-1';
  const liarId = 'hilx-liar-0';
  const silentId = 'hilx-silent-0';
  let broker: Mosquitto;
  let gateway: ChildProcess;
  let gatewayLog = '';
  let liarBoard: RunningBoard;
  let liarClient: DeviceClient;
  let liar: Executor;
  let client: FleetClient;
  const scratch = scratchDir();
  const keyFile = join(scratch.dir, 'owner.pem');

  beforeAll(async () => {
    for (const id of [...Object.keys(good), liarId, silentId]) rmSync(junit(id), { force: true });
    // One board provisioned over its own line (trust on first use) before the gateway attaches it with its store.
    const key = generateSigningKey();
    await writeNewKeyFile(keyFile, key);
    const states = join(scratch.dir, 'boards');
    mkdirSync(states);
    const prep = await startBoard({ state: join(states, `${provisionedId}.state`) });
    try {
      await prep.client.upload(readModule(), { confirm: true });
      await prep.client.provision(encodeProvision([key.publicKey], controlKeyOf(key)));
    } finally {
      await prep.close();
    }
    broker = await startMosquitto();
    gateway = spawn(
      process.execPath,
      [QIOT_CLI, 'gateway', '--broker', broker.url, '--board', 'posix:2', '--board', 'rv32:1', '--state-dir', states].concat([
        '--module',
        MODULE_PATH,
        '--id-prefix',
        'hilx',
      ]),
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    gateway.stdout!.on('data', (d: Buffer) => (gatewayLog += d));
    gateway.stderr!.on('data', (d: Buffer) => (gatewayLog += d));
    liarBoard = await launchPosixBoard();
    liarClient = await DeviceClient.open(liarBoard.port);
    liar = await Executor.start({ url: broker.url }, lyingBackend(new BoardBackend(liarClient)), { id: liarId });
    client = await FleetClient.connect({ url: broker.url }, 'test');
    // An "online" board that nobody serves: what a hung gateway leaves behind.
    await client.mqtt.publishAsync(topics.status(silentId), encodeJson(online(silentId, 'posix')), { qos: 1, retain: true });
    const deadline = Date.now() + 120_000;
    while (!Object.keys(good).every((id) => client.statuses.get(id)?.state === 'online')) {
      if (Date.now() > deadline) throw new Error(`the gateway's boards did not come online:\n${gatewayLog}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 180_000);

  afterAll(async () => {
    await client?.mqtt.publishAsync(topics.status(silentId), '', { qos: 1, retain: true }).catch(() => undefined);
    await client?.close();
    await liar?.close().catch(() => undefined);
    await liarClient?.close().catch(() => undefined);
    await liarBoard?.stop();
    if (gateway && gateway.exitCode === null) {
      gateway.kill('SIGINT');
      await new Promise((r) => gateway.once('exit', r));
    }
    await broker?.stop();
    scratch.remove();
  });

  it('the honest boards pass (link-level tests skipped with their reasons; trial boot, rollback and, with the key, signed modules run), the liar and the silent board fail it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'hil-tests', 'fleet-run.ts')], {
      cwd: REPO,
      env: { ...process.env, QIOT_BROKER: broker.url, QIOT_HIL_JOBS: '5', QIOT_FLEET: undefined, QIOT_KEY: keyFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d));
    child.stderr!.on('data', (d: Buffer) => (out += d));
    const code = await new Promise<number | null>((r) => child.on('close', r));

    expect(code, out).toBe(1);
    for (const [id, name] of Object.entries(good)) expect(out).toMatch(new RegExp(`^  ${id} \\(${name}\\): passed`, 'm'));
    expect(out).toMatch(new RegExp(`^  ${liarId} \\(posix\\): FAILED`, 'm'));
    expect(out).toMatch(new RegExp(`^  ${silentId} \\(posix\\): FAILED`, 'm'));
    expect(out).toMatch(new RegExp(`\\[${silentId} *\\] .*no answer from ${silentId} to 'info' within \\d+ ms`));

    for (const id of Object.keys(good)) {
      const xml = readFileSync(junit(id), 'utf8');
      expect(count(xml, /<failure/g), id).toBe(0);
      expect(count(xml, /<testcase /g)).toBeGreaterThan(20);
      // Skipped by capability, each with its reason in the name; the tests over MQTT ran.
      expect(count(xml, /<skipped/g)).toBeGreaterThan(5);
      expect(xml).toMatch(/faulty frames \(fleet-hilx-\w+-\d\) — skipped: .*MQTT carries commands, not protocol frames/);
      for (const name of [
        'sampled (16 shots per evaluation), with NLR ascents: telemetry records and end-of-run evaluations are bit-identical',
        'departures from the broker of 0.05–3 s lose no record',
        'commits alternate between the two slots',
        'a module that loops forever in a call is reset by the watchdog and the board boots the previous module',
        'deep recursion in a module traps (native stack guard) instead of crashing the board',
        'a trapping step gives ERROR MODULE_TRAP and DONE TRAP; the board stays up and takes the good module back',
      ])
        expect(ran(xml, name), `${id}: ${name}`).toBe(true);
      const signed =
        'unauthenticated uploads (an ACK needs no key), and unsigned, forged, wrong-target and rolled-back modules are refused; the board keeps its module';
      if (id === provisionedId) expect(ran(xml, signed), id).toBe(true);
      else expect(xml).toMatch(/signed modules \(fleet-hilx-\w+-\d\) — skipped: .*the fleet has no PROVISION command/);
    }
    const lied = readFileSync(junit(liarId), 'utf8');
    expect(lied).toMatch(
      /<testcase [^>]*name="[^"]*exact: telemetry records and end-of-run evaluations are bit-identical"[^>]*>\s*<failure/,
    );
    // The probe failed before any test ran.
    if (existsSync(junit(silentId))) expect(count(readFileSync(junit(silentId), 'utf8'), /<testcase /g)).toBe(0);
  }, 900_000);
});
