// The fleet's command authentication without a broker (fleet/auth.ts): the trailers a
// client seals are exactly what DeviceClient with the control key would append to the
// same frames, and the gateway's RelaySealer, holding no key, puts each on its own
// frame, skips spent ones and leaves frames it has no trailer for unchanged.
// End to end on Mosquitto with a real board: fleet-auth.test.ts.
import { describe, expect, it } from 'vitest';
import { MAX_CHUNK_DATA, MessageType, TelemetryMode } from '../protocol/constants.ts';
import { encodeParamsWrite, encodeTrainStart } from '../protocol/payloads.generated.ts';
import { Authenticator, controlKeyOf } from '../security/auth.ts';
import { generateSigningKey } from '../security/keys.ts';
import { SECURITY } from '../security/limits.ts';
import { plannedFrames, RelaySealer, remoteBoard, sealCommand, sessionOf } from './auth.ts';
import { fromBase64, PayloadError, toBase64 } from './messages.ts';

const key = controlKeyOf(generateSigningKey());
const session = { nonce: Uint8Array.from({ length: 16 }, (_, i) => i * 7), lastCounter: 41 };
const module = Uint8Array.from({ length: 2 * MAX_CHUNK_DATA + 5 }, (_, i) => (i * 31) & 0xff);
const flashArgs = { module: toBase64(module) };

describe('fleet command authentication', () => {
  it('seals every planned frame as a DeviceClient holding the key would, counting on from the board', () => {
    const frames = plannedFrames('flash', flashArgs);
    // BEGIN, three chunks (each smaller by the trailer), COMMIT.
    expect(frames.map((f) => f.type)).toEqual([
      MessageType.UPLOAD_BEGIN,
      MessageType.UPLOAD_CHUNK,
      MessageType.UPLOAD_CHUNK,
      MessageType.UPLOAD_CHUNK,
      MessageType.UPLOAD_COMMIT,
    ]);
    expect(frames[1].payload.length).toBe(4 + MAX_CHUNK_DATA - SECURITY.authTrailerSize);
    const direct = new Authenticator(key, session.nonce, session.lastCounter);
    const relay = new RelaySealer();
    relay.offer(sealCommand(key, session, 'flash', flashArgs));
    for (const f of frames) expect(Buffer.from(relay.seal(f.type, f.payload))).toEqual(Buffer.from(direct.seal(f.type, f.payload)));
  });

  it('trains in pause mode (lossless) as the gateway board target does, and leaves unauthenticated requests alone', () => {
    const args = { config: toBase64(new Uint8Array(192)), dataset: toBase64(new Uint8Array(10)), steps: 7, tag: 1 };
    const frames = plannedFrames('train', args);
    expect(frames.map((f) => f.type)).toEqual([MessageType.CONFIG, MessageType.DATASET, MessageType.TRAIN_START]);
    // Pause mode, as DeviceClient.train sends it by default: lossless, the gateway acknowledges (TELEMETRY_ACK is open).
    expect(frames[2].payload).toEqual(encodeTrainStart({ steps: 7, telemetryMode: TelemetryMode.PAUSE }));
    const relay = new RelaySealer();
    relay.offer(sealCommand(key, session, 'train', args));
    const status = new Uint8Array(0);
    expect(relay.seal(MessageType.STATUS_REQUEST, status)).toBe(status);
  });

  it('uses the newest trailer for a frame, drops spent ones, and sends a frame it has none for as it is', () => {
    const relay = new RelaySealer();
    const stop = new Uint8Array(0);
    relay.offer(sealCommand(key, session, 'stop', {})); // counter 42, never used (nothing was running)
    relay.offer(sealCommand(key, { ...session, lastCounter: 50 }, 'stop', {})); // counter 51
    const sealed = relay.seal(MessageType.TRAIN_STOP, stop);
    expect(Buffer.from(sealed.subarray(0, 4)).readUInt32LE(0)).toBe(51);
    expect(relay.seal(MessageType.TRAIN_STOP, stop)).toBe(stop); // 42 is spent: 51 went first
    // A trailer is bound to its payload: other θ gets none.
    relay.offer(sealCommand(key, { ...session, lastCounter: 60 }, 'params_set', { params: [1, 2] }));
    const other = encodeParamsWrite({ theta: [1, 3] });
    expect(relay.seal(MessageType.PARAMS_WRITE, other)).toBe(other);
    expect(relay.seal(MessageType.PARAMS_WRITE, encodeParamsWrite({ theta: [1, 2] })).length).toBe(other.length + SECURITY.authTrailerSize);
  });

  it('a command sealed again after a refused one gets its own trailers, not the refused ones left over', () => {
    const args = { config: toBase64(new Uint8Array(192)), dataset: toBase64(new Uint8Array(10)), steps: 7, tag: 1 };
    const frames = plannedFrames('train', args);
    const relay = new RelaySealer();
    const wrong = controlKeyOf(generateSigningKey());
    relay.offer(sealCommand(wrong, session, 'train', args));
    relay.seal(frames[0].type, frames[0].payload); // CONFIG goes with the wrong tag: the board refuses it, nothing more is sent
    relay.offer(sealCommand(key, session, 'train', args)); // the same counters, under the right key
    const direct = new Authenticator(key, session.nonce, session.lastCounter);
    for (const f of frames) expect(Buffer.from(relay.seal(f.type, f.payload))).toEqual(Buffer.from(direct.seal(f.type, f.payload)));
  });

  it('refuses a malformed auth field and reads the session only of a provisioned board', () => {
    const relay = new RelaySealer();
    expect(() => relay.offer(toBase64(Uint8Array.of(1, 2, 3)))).toThrow(PayloadError);
    expect(() => relay.offer(toBase64(Uint8Array.of(9)))).toThrow(/expected version 1/);
    const board = (provisioned: boolean) =>
      remoteBoard({
        board: { boardName: 'posix', abiVersion: 1, security: { provisioned, floor: 0, lastCounter: 3, nonce: '00'.repeat(16) } },
      });
    expect(sessionOf(board(false)!)).toBeNull();
    expect(sessionOf(board(true)!)).toEqual({ nonce: new Uint8Array(16), lastCounter: 3 });
    expect(remoteBoard({ threads: 2 })).toBeNull(); // a worker
    expect(() => remoteBoard({ board: { boardName: 'posix' } })).toThrow(/info:/);
    expect(fromBase64(sealCommand(key, session, 'reset', {}))).toHaveLength(1 + 29);
  });
});
