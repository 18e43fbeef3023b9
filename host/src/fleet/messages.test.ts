import { describe, expect, it } from 'vitest';
import {
  type Status,
  decodeReply,
  decodeRequest,
  decodeStatus,
  decodeTelemetry,
  decodeTelemetryBatch,
  encodeJson,
  encodeTelemetry,
  encodeTelemetryBatch,
  isSummaryBody,
  PayloadError,
  type Request,
  TELEMETRY_MESSAGE_BYTES,
} from './messages.ts';
import { FLEET } from './limits.ts';
import { parseTopic, topics, TopicError } from './topics.ts';

describe('topics', () => {
  it('builds and parses the per-executor topics', () => {
    expect(topics.status('lab1-posix-0')).toBe('qiot/v1/lab1-posix-0/status');
    expect(parseTopic('qiot/v1/lab1-posix-0/telemetry')).toEqual({ id: 'lab1-posix-0', kind: 'telemetry' });
    expect(topics.reply('sweep-1')).toBe('qiot/v1/_clients/sweep-1/reply');
    expect(parseTopic('qiot/v1/_clients/sweep-1/reply')).toBeNull();
    expect(parseTopic('qiot/v2/a/status')).toBeNull();
    expect(parseTopic('qiot/v1/a/other')).toBeNull();
  });

  it.each(['', 'a/b', 'a+', '#', '_x', 'x'.repeat(65), 'a b'])('refuses id %j', (id) => {
    expect(() => topics.cmd(id)).toThrow(TopicError);
  });
});

const WORKER_STATUS: Status = {
  v: 1,
  id: 'w-0',
  state: 'online',
  kind: 'worker',
  target: { kind: 'node' },
  module_sha256: 'a'.repeat(64),
  abi_version: 3,
  host: 'h',
  tags: ['x'],
  busy: null,
  queued: 0,
  dropped: 0,
};

describe('JSON payloads', () => {
  it('round-trips status, requests and replies', () => {
    expect(decodeStatus(encodeJson(WORKER_STATUS))).toEqual(WORKER_STATUS);
    const req = {
      v: 1,
      op: 'train',
      corr: 'c1',
      reply: 'qiot/v1/_clients/s/reply',
      args: { config: 'AAEC', dataset: '', steps: 5, tag: 7 },
    } as const;
    expect(decodeRequest(encodeJson(req))).toEqual(req);
    const done = {
      v: 1,
      corr: 'c1',
      stage: 'done',
      result: {
        status: 'trap',
        train_loss: null,
        test_loss: null,
        test_accuracy: null,
        shots_total: 0,
        param_count: 4,
        error: 'unreachable',
        first_seq: 1,
        records: 2,
        dropped: 0,
      },
    } as const;
    expect(decodeReply(encodeJson(done))).toEqual(done);
  });

  it('names what is wrong with a bad payload', () => {
    expect(() => decodeRequest(Buffer.from('{nope'))).toThrow(/command: not JSON/);
    const big = { v: 1, op: 'flash', corr: 'c', reply: 'r', args: { module: 'A'.repeat(FLEET.maxPayloadBytes) } };
    expect(() => decodeRequest(encodeJson(big as Request))).toThrow(/bytes, executors accept at most 262144/);
    expect(() => decodeRequest(Buffer.from(JSON.stringify({ v: 1, op: 'reboot', corr: 'c', reply: 'r', args: {} })))).toThrow(PayloadError);
    expect(() => decodeRequest(Buffer.from(JSON.stringify({ v: 2, op: 'info', corr: 'c', reply: 'r', args: {} })))).toThrow(/v/);
    expect(() =>
      decodeRequest(
        Buffer.from(JSON.stringify({ v: 1, op: 'train', corr: 'c', reply: 'r', args: { config: '!!', dataset: '', steps: 1, tag: 0 } })),
      ),
    ).toThrow(/base64/);
  });
});

describe('the task op', () => {
  const task = (args: unknown) => Buffer.from(JSON.stringify({ v: 1, op: 'task', corr: 'c', reply: 'r', args }));

  it('round-trips a task command, its `done` reply and a status announcing task kinds', () => {
    const args = { kind: 'deep-plateau', input: { kind: 'gradients', from: 1, x: [{ $f64: 'NaN' }] }, queue: true };
    expect(decodeRequest(task(args))).toEqual({ v: 1, op: 'task', corr: 'c', reply: 'r', args });
    const done = { v: 1, corr: 'c', stage: 'done', result: { kind: 'study', value: { trainLoss: { $f64: 'NaN' }, steps: 3 } } } as const;
    const reply = decodeReply(encodeJson(done));
    expect(reply).toEqual(done);
    expect(reply.stage === 'done' && isSummaryBody(reply.result)).toBe(false);
    const status: Status = { ...WORKER_STATUS, tasks: { kinds: ['study', 'deep-plateau'], qiot_version: '0.3.0' } };
    expect(decodeStatus(encodeJson(status))).toEqual(status);
  });

  it("reads a newer executor's status, ignoring the fields it does not know; commands stay strict", () => {
    const newer = { ...WORKER_STATUS, tasks: { kinds: ['study'], qiot_version: '9.0.0', budget: 3 }, power_mw: 120 };
    expect(decodeStatus(Buffer.from(JSON.stringify(newer)))).toEqual({
      ...WORKER_STATUS,
      tasks: { kinds: ['study'], qiot_version: '9.0.0' },
    });
    const gone = { v: 1, id: 'w-0', state: 'offline', reason: 'stopped', since: 5 };
    expect(decodeStatus(Buffer.from(JSON.stringify(gone)))).toEqual({ v: 1, id: 'w-0', state: 'offline', reason: 'stopped' });
    expect(() => decodeStatus(Buffer.from(JSON.stringify({ ...WORKER_STATUS, busy: 3 })))).toThrow(PayloadError);
    const cmd = { v: 1, op: 'info', corr: 'c', reply: 'r', args: {}, power_mw: 120 };
    expect(() => decodeRequest(Buffer.from(JSON.stringify(cmd)))).toThrow(PayloadError);
  });

  it('names a bad kind, a missing kind and an unknown field', () => {
    expect(() => decodeRequest(task({ kind: 'Study!', input: 1 }))).toThrow(/must be a task kind name .*at args\.kind/);
    expect(() => decodeRequest(task({ input: 1 }))).toThrow(/args\.kind/);
    expect(() => decodeRequest(task({ kind: 'study', input: 1, steps: 3 }))).toThrow(/steps/);
    expect(() =>
      decodeReply(Buffer.from(JSON.stringify({ v: 1, corr: 'c', stage: 'done', result: { kind: 'study', value: 1, extra: 2 } }))),
    ).toThrow(PayloadError);
  });
});

describe('telemetry payload', () => {
  const raw = Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 5) & 0xff);

  it('lays out version, seq, tag, step_us and the record little-endian', () => {
    const bytes = encodeTelemetry({ seq: 0x01020304, tag: 0xa0b0c0d0, stepUs: 1234, raw });
    expect(bytes.length).toBe(TELEMETRY_MESSAGE_BYTES);
    expect([...bytes.subarray(0, 16)]).toEqual([1, 0, 0, 0, 4, 3, 2, 1, 0xd0, 0xc0, 0xb0, 0xa0, 1234 & 0xff, 1234 >> 8, 0, 0]);
    expect([...bytes.subarray(16)]).toEqual([...raw]);
    expect(decodeTelemetry(bytes)).toEqual({ seq: 0x01020304, tag: 0xa0b0c0d0, stepUs: 1234, raw });
  });

  it('marks an unmeasured step time and refuses wrong sizes and versions', () => {
    const bytes = encodeTelemetry({ seq: 1, tag: 2, raw });
    expect(bytes.readUInt32LE(12)).toBe(0xffffffff);
    expect(decodeTelemetry(bytes).stepUs).toBeUndefined();
    expect(() => decodeTelemetry(bytes.subarray(1))).toThrow(/79 bytes/);
    const v2 = Buffer.from(bytes);
    v2[0] = 2;
    expect(() => decodeTelemetry(v2)).toThrow(/version 2/);
    expect(() => encodeTelemetry({ seq: 1, tag: 2, raw: raw.subarray(1) })).toThrow(/64 bytes/);
  });

  it('batches records back to back: each 80-byte slice is one record, in order', () => {
    const records = [7, 8, 9].map((seq) => ({ seq, tag: 5, stepUs: seq * 10, raw: raw.map((b) => b ^ seq) }));
    const bytes = encodeTelemetryBatch(records);
    expect(bytes.length).toBe(3 * TELEMETRY_MESSAGE_BYTES);
    expect(bytes.subarray(TELEMETRY_MESSAGE_BYTES, 2 * TELEMETRY_MESSAGE_BYTES)).toEqual(encodeTelemetry(records[1]));
    expect(decodeTelemetryBatch(bytes)).toEqual(records);
    expect(decodeTelemetryBatch(encodeTelemetry(records[0]))).toEqual([records[0]]); // one record = the unbatched message
    expect(() => decodeTelemetryBatch(bytes.subarray(0, 200))).toThrow(/200 bytes, expected a multiple of 80/);
    expect(() => decodeTelemetryBatch(new Uint8Array(0))).toThrow(/0 bytes/);
  });
});
