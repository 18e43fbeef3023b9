// Signed modules and authenticated commands end to end over a real Mosquitto
// (docs/fleet.md "Security end to end"): a provisioned posix board behind a
// `qiot gateway` process that holds no key. Without the key, with a wrong key,
// with an unsigned or forged module, and with a command captured on the broker
// and published again, the board refuses and its error code reaches the CLI;
// with the key (--key or $QIOT_KEY) flash, confirm, train, params set, stop,
// reset and rollback work. The test itself plays the untrusted broker participant, and checks that
// the key never crosses the broker.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.ts';
import { sha256 } from '../device/upload.ts';
import { ErrorCode } from '../protocol/constants.ts';
import { readRunLog } from '../runlog/reader.ts';
import { controlKeyOf } from '../security/auth.ts';
import { generateSigningKey, writeNewKeyFile } from '../security/keys.ts';
import { ModuleTarget, readModuleImage } from '../train/module-target.ts';
import { runTraining } from '../train/run.ts';
import { MODULE_PATH, qiot, readModule, REPO, scratchDir, type Outcome } from '../../testing/harness.ts';
import { startKeylessGateway, until, type KeylessGateway } from '../../testing/keyless-gateway.ts';
import { startMosquitto, type Mosquitto } from '../../testing/mosquitto.ts';
import { variantModule } from '../../testing/tiny-module.ts';
import { CommandSealer } from './auth.ts';
import { FleetClient, RemoteError } from './client.ts';
import { decodeReply, decodeRequest, encodeJson, toBase64 } from './messages.ts';
import { RemoteTarget } from './remote-target.ts';
import { topics } from './topics.ts';

const ID = 'fa-posix-0';
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

let broker: Mosquitto;
let scratch: ReturnType<typeof scratchDir>;
let gateway: KeylessGateway;
let client: FleetClient;
let sniffer: MqttClient;
const wire: Buffer[] = []; // every message the broker carried, as an eavesdropper on '#' sees it
const outputs: Outcome[] = [];
const key = generateSigningKey();
const stranger = generateSigningKey();
let keyFile: string;
let strangerFile: string;
let variantFile: string;
const variant = variantModule(readModule(), 'fleet-auth', 300);

const b = () => ['--broker', broker.url];
async function run(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  const out = await qiot(args, undefined, { env });
  outputs.push(out);
  return out;
}
const activeModule = async () => String((await client.call(ID, 'info', {})).module_sha256);

beforeAll(async () => {
  broker = await startMosquitto();
  scratch = scratchDir();
  keyFile = join(scratch.dir, 'owner.pem');
  strangerFile = join(scratch.dir, 'stranger.pem');
  await writeNewKeyFile(keyFile, key);
  await writeNewKeyFile(strangerFile, stranger);
  variantFile = join(scratch.dir, 'variant.wasm');
  writeFileSync(variantFile, variant);

  sniffer = await mqtt.connectAsync(broker.url, { clientId: 'eavesdropper' });
  sniffer.on('message', (_t, payload) => wire.push(Buffer.from(payload)));
  await sniffer.subscribeAsync('#', { qos: 1 });

  // The board is provisioned over its own line first (trust on first use), with a module.
  gateway = await startKeylessGateway({ brokerUrl: broker.url, dir: scratch.dir, prefix: 'fa', key, provisioned: 1 });
  expect(gateway.provisioned).toEqual([ID]);
  client = await FleetClient.connect({ url: broker.url }, 'test');
  await client.watchTelemetry();
  await until('the board online', () => client.online().some((s) => s.id === ID && s.module_sha256 !== null));
}, 180_000);

afterAll(async () => {
  await client?.close();
  await sniffer?.endAsync();
  await gateway?.stop();
  await broker?.stop();
  scratch?.remove();
}, 60_000);

describe('a provisioned board behind a gateway on Mosquitto', () => {
  it('the gateway, holding no key, does not flash --module onto it; reads stay open', async () => {
    expect(gateway.log()).toMatch(/fa-posix-0: provisioned, so --module is not flashed here/);
    const info = await run(['fleet', 'info', ID, ...b()]);
    expect(info.code, info.stderr).toBe(0);
    const board = (JSON.parse(info.stdout) as { board: { security: { provisioned: boolean; nonce: string } } }).board;
    expect(board.security.provisioned).toBe(true);
    expect(board.security.nonce).toMatch(/^[0-9a-f]{32}$/);
  }, 120_000);

  it('without the key every change is refused: UNAUTHENTICATED, exit 1, the module stays', async () => {
    const before = await activeModule();
    const flash = await run(['fleet', 'flash', variantFile, ID, ...b()]);
    expect(flash.code, flash.stderr).toBe(1);
    expect(flash.stdout).toMatch(
      /fa-posix-0: FAILED fa-posix-0: board refused UPLOAD_BEGIN: UNAUTHENTICATED — authentication tag does not match/,
    );
    const reset = await run(['fleet', 'reset', ID, ...b()]);
    expect(reset.code).toBe(1);
    expect(reset.stderr).toMatch(/board refused RESET: UNAUTHENTICATED — board is provisioned: request type 0x[0-9a-f]+ needs the trailer/);
    expect(await activeModule()).toBe(before);
  }, 120_000);

  it('a wrong key is refused: the tag does not match', async () => {
    const flash = await run(['fleet', 'flash', variantFile, ID, '--key', strangerFile, ...b()]);
    expect(flash.code).toBe(1);
    expect(flash.stdout).toMatch(/board refused UPLOAD_BEGIN: UNAUTHENTICATED — authentication tag does not match/);
    const reset = await run(['fleet', 'reset', ID, ...b()], { QIOT_KEY: strangerFile });
    expect(reset.code).toBe(1);
    expect(reset.stderr).toMatch(/board refused RESET: UNAUTHENTICATED — authentication tag does not match/);
  }, 120_000);

  it('unsigned and forged modules are refused with SIGNATURE although the MAC is right', async () => {
    const before = await activeModule();
    // Unsigned: the CLI always signs with --key, so the library sends it (sealed, no manifest).
    const sealer = new CommandSealer(client, key);
    const args = { module: toBase64(variant) };
    const unsigned = await client.call(ID, 'flash', args, 60_000, await sealer.auth(ID, 'flash', args)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(unsigned).toBeInstanceOf(RemoteError);
    expect([(unsigned as RemoteError).code, (unsigned as RemoteError).message]).toEqual([
      ErrorCode.SIGNATURE,
      expect.stringMatching(/board refused UPLOAD_BEGIN: SIGNATURE — board is provisioned: the module must be signed/),
    ]);
    // Forged: signed by a key the board does not trust, sent with the owner's MAC.
    const forgedSig = join(scratch.dir, 'forged.sig');
    expect((await run(['sign', variantFile, '--key', strangerFile, '--target', 'posix', '-o', forgedSig])).code).toBe(0);
    const forged = await run(['fleet', 'flash', variantFile, ID, '--key', keyFile, '--signature', forgedSig, ...b()]);
    expect(forged.code).toBe(1);
    expect(forged.stdout).toMatch(
      /board refused UPLOAD_BEGIN: SIGNATURE — module signature does not verify under the board's 1 trusted key/,
    );
    // A signature file for other bytes never leaves this host.
    const other = await run(['fleet', 'flash', MODULE_PATH, ID, '--key', keyFile, '--signature', forgedSig, ...b()]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/forged\.sig signs a module of \d+ B with sha256 [0-9a-f]{64}, not this one/);
    expect(await activeModule()).toBe(before);
  }, 180_000);

  it('with the key: flash, train (the records of the in-process module), params set, stop', async () => {
    const flash = await run(['fleet', 'flash', variantFile, ID, '--key', keyFile, ...b()]);
    expect(flash.code, flash.stdout + flash.stderr).toBe(0);
    expect(flash.stdout).toBe(`${ID}: flashed ${hex(sha256(variant)).slice(0, 12)}\n`);
    expect(await activeModule()).toBe(hex(sha256(variant)));
    const confirm = await run(['fleet', 'confirm', ID, '--key', keyFile, ...b()]);
    expect(confirm.code, confirm.stderr).toBe(0);
    expect(confirm.stdout).toBe(`${ID}: confirmed ${hex(sha256(variant)).slice(0, 12)}\n`);

    const cfgFile = join(scratch.dir, 'cfg.json');
    const raw = JSON.parse(readFileSync(join(REPO, 'examples/iris-nlr.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(cfgFile, JSON.stringify({ ...raw, steps: 5, seed: 3 }));
    const out = join(scratch.dir, 'train');
    const train = await run(['fleet', 'train', ID, '-c', cfgFile, '-o', out, ...b()], { QIOT_KEY: keyFile });
    expect(train.code, train.stderr).toBe(0);
    const log = readRunLog(join(out, `${ID}.jsonl`));
    const local = await runTraining(new ModuleTarget(await readModuleImage(variantFile)), loadConfig(cfgFile), {
      qiotVersion: 't',
      sinks: [],
    });
    expect(log.summary?.status).toBe('completed');
    expect(log.steps.map((s) => s.raw)).toEqual(local.steps.map((s) => s.raw));
    expect(log.steps).toHaveLength(5);

    const theta = join(scratch.dir, 'theta.json');
    const count = (JSON.parse((await run(['fleet', 'params', 'get', ID, '--json', ...b()])).stdout) as { count: number }).count;
    const values = Array.from({ length: count }, (_, i) => Number((0.01 * (i + 1)).toFixed(6)));
    writeFileSync(theta, JSON.stringify(values));
    const set = await run(['fleet', 'params', 'set', theta, ID, '--key', keyFile, ...b()]);
    expect(set.code, set.stderr).toBe(0);
    const back = JSON.parse((await run(['fleet', 'params', 'get', ID, '--json', ...b()])).stdout) as { params: number[] };
    for (const [i, v] of values.entries()) expect(back.params[i]).toBeCloseTo(v, 8);

    // A run until stopped, stopped by `fleet stop --key` from another process.
    const long = runTraining(new RemoteTarget(client, ID, { sealer: new CommandSealer(client, key) }), loadConfig(cfgFile, { steps: 0 }), {
      qiotVersion: 't',
      sinks: [],
    });
    await until('the run under way', () => client.online().some((s) => s.id === ID && s.busy !== null));
    const stop = await run(['fleet', 'stop', ID, '--key', keyFile, ...b()]);
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toMatch(/^fa-posix-0: stopping /);
    const ended = (await long).summary;
    expect(ended.status, JSON.stringify(ended)).toBe('stopped');
  }, 300_000);

  it('a command captured on the broker and published again is refused as a replay (also after a reset); altered, as a forgery', async () => {
    const attacker = await mqtt.connectAsync(broker.url, { clientId: 'attacker' });
    try {
      const captured: Buffer[] = [];
      const replies: Buffer[] = [];
      const replyTopic = topics.reply('attacker');
      attacker.on('message', (t, p) => (t === replyTopic ? replies : captured).push(Buffer.from(p)));
      await attacker.subscribeAsync([topics.cmd(ID), replyTopic], { qos: 1 });

      const theta = join(scratch.dir, 'theta.json');
      const set = await run(['fleet', 'params', 'set', theta, ID, '--key', keyFile, ...b()]);
      expect(set.code, set.stderr).toBe(0);
      await until('the command captured', () => captured.some((p) => decodeRequest(p).op === 'params_set'));
      const original = decodeRequest(captured.find((p) => decodeRequest(p).op === 'params_set')!);
      expect(original.auth).toBeDefined();

      const replay = async (request: typeof original, corr: string) => {
        await attacker.publishAsync(topics.cmd(ID), encodeJson({ ...request, corr, reply: replyTopic }), { qos: 1 });
        await until(`the answer to ${corr}`, () => replies.some((p) => decodeReply(p).corr === corr));
        return decodeReply(replies.find((p) => decodeReply(p).corr === corr)!);
      };
      const replayed = await replay(original, 'attacker/1');
      expect(replayed.stage).toBe('error');
      if (replayed.stage !== 'error') return;
      expect(replayed.error).toMatchObject({ kind: 'board', code: ErrorCode.UNAUTHENTICATED });
      expect(replayed.error.message).toMatch(
        /board refused PARAMS_WRITE: UNAUTHENTICATED — authentication counter \d+ is not above the last accepted \d+ \(replayed frame\?\)/,
      );

      if (original.op !== 'params_set') throw new Error('captured the wrong command');
      const altered = await replay({ ...original, args: { params: original.args.params.map((v) => v + 0.5) } }, 'attacker/2');
      expect(altered.stage === 'error' && altered.error).toMatchObject({ kind: 'board', code: ErrorCode.UNAUTHENTICATED });
      expect(altered.stage === 'error' && altered.error.message).toMatch(/authentication tag does not match/);

      const now = JSON.parse((await run(['fleet', 'params', 'get', ID, '--json', ...b()])).stdout) as { params: number[] };
      expect(now.params.map((v) => Number(v.toFixed(6)))).toEqual(JSON.parse(readFileSync(theta, 'utf8')));

      // A RESET captured in one boot is useless in the next: the nonce it was sealed over is gone.
      const nonce = async () =>
        (JSON.parse((await run(['fleet', 'info', ID, ...b()])).stdout) as { board: { security: { nonce: string } } }).board.security.nonce;
      const beforeReset = await nonce();
      const reset = await run(['fleet', 'reset', ID, '--key', keyFile, ...b()]);
      expect(reset.code, reset.stderr).toBe(0);
      expect(await nonce()).not.toBe(beforeReset); // a new boot: a new session nonce
      await until('the reset captured', () => captured.some((p) => decodeRequest(p).op === 'reset'));
      const oldReset = decodeRequest(captured.find((p) => decodeRequest(p).op === 'reset')!);
      const again = await replay(oldReset, 'attacker/3');
      expect(again.stage === 'error' && again.error).toMatchObject({ kind: 'board', code: ErrorCode.UNAUTHENTICATED });
      expect(again.stage === 'error' && again.error.message).toMatch(
        /board refused RESET: UNAUTHENTICATED — authentication tag does not match \(wrong control key, stale nonce/,
      );
    } finally {
      await attacker.endAsync();
    }
  }, 180_000);

  it('rollback over the fleet: refused without the key, back to the previous signed module with it', async () => {
    expect(await activeModule()).toBe(hex(sha256(variant)));
    const second = variantModule(readModule(), 'fleet-auth-2', 400);
    const secondFile = join(scratch.dir, 'second.wasm');
    writeFileSync(secondFile, second);
    const flash = await run(['fleet', 'flash', secondFile, ID, '--key', keyFile, ...b()]);
    expect(flash.code, flash.stdout + flash.stderr).toBe(0);
    expect(await activeModule()).toBe(hex(sha256(second)));
    const refused = await run(['fleet', 'rollback', ID, ...b()]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/board refused ROLLBACK: UNAUTHENTICATED — board is provisioned/);
    expect(await activeModule()).toBe(hex(sha256(second)));
    const back = await run(['fleet', 'rollback', ID, '--key', keyFile, ...b()]);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toBe(`${ID}: rolled back to ${hex(sha256(variant)).slice(0, 12)}\n`);
    expect(await activeModule()).toBe(hex(sha256(variant)));
  }, 180_000);

  it('the key never crosses the broker nor shows in any output', () => {
    const der = key.privateKey.export({ type: 'pkcs8', format: 'der' });
    const secrets = [der.subarray(der.length - 32), Buffer.from(controlKeyOf(key))];
    const forms = secrets.flatMap((s) => [
      s,
      Buffer.from(s.toString('hex')),
      Buffer.from(s.toString('base64')),
      Buffer.from(s.toString('base64url')),
    ]);
    forms.push(Buffer.from(readFileSync(keyFile, 'utf8').split('\n')[1])); // the PEM body
    expect(wire.length).toBeGreaterThan(50);
    const texts = outputs.map((o) => Buffer.from(o.stdout + o.stderr)).concat(Buffer.from(gateway.log()));
    for (const f of forms) {
      expect(wire.some((m) => m.includes(f))).toBe(false);
      expect(texts.some((t) => t.includes(f))).toBe(false);
    }
  });
});
