// Authenticated commands end to end over MQTT (docs/fleet.md "Security end to end").
// The commanding client holds the control key; the broker and the gateway do not.
// For one command to a provisioned board the client lists every authenticated frame
// the gateway will send for it (the frames follow from the command's arguments, cut
// as DeviceClient cuts them), seals each with the board's current nonce and counter
// (docs/security.md), and puts the trailers in the command's `auth`. The gateway's
// RelaySealer appends to each frame the trailer made for exactly that frame (matched
// by request type and payload digest); the board checks it. The gateway can drop,
// delay or reorder commands, never forge, alter or replay one.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { RequestSealer } from '../device/link.ts';
import { MAX_CHUNK_DATA, MAX_DATASET_DATA, MessageType, TelemetryMode } from '../protocol/constants.ts';
import { ByteReader, ByteWriter } from '../protocol/bytes.ts';
import {
  encodeConfig,
  encodeDataset,
  encodeParamsWrite,
  encodeTrainStart,
  encodeUploadChunk,
  encodeUploadBegin,
} from '../protocol/payloads.generated.ts';
import { AUTHENTICATED_TYPES, Authenticator, controlKeyOf } from '../security/auth.ts';
import type { SigningKey } from '../security/keys.ts';
import type { FleetClient } from './client.ts';
import { SECURITY } from '../security/limits.ts';
import { FLEET } from './limits.ts';
import { fromBase64, PayloadError, toBase64, type Request } from './messages.ts';

/** Ops whose board frames a provisioned board accepts only authenticated. */
export const AUTHENTICATED_OPS = ['flash', 'train', 'stop', 'params_set', 'reset', 'rollback', 'confirm'] as const;
export type AuthenticatedOp = (typeof AUTHENTICATED_OPS)[number];
type ArgsOf<O extends AuthenticatedOp> = Extract<Request, { op: O }>['args'];

/**
 * Telemetry mode of a run started through a gateway: pause mode (lossless), what the gateway's
 * BoardTarget sends (DeviceClient.train's default). TELEMETRY_ACK is open (docs/security.md), so
 * the gateway acknowledges the records it relays from a provisioned board as from an open one.
 */
export const RELAYED_TELEMETRY_MODE = TelemetryMode.PAUSE;

const ENVELOPE_VERSION = 1;
const DIGEST_BYTES = 8;
const ENTRY_BYTES = 1 + DIGEST_BYTES + SECURITY.authTrailerSize;

export interface BoardFrame {
  type: number;
  payload: Uint8Array;
}

const digestOf = (payload: Uint8Array) => createHash('sha256').update(payload).digest().subarray(0, DIGEST_BYTES);

/** The authenticated frames the gateway sends to a provisioned board for one command, in order. */
export function plannedFrames<O extends AuthenticatedOp>(op: O, args: ArgsOf<O>): BoardFrame[] {
  const data = (chunk: number, bytes: Uint8Array, type: number): BoardFrame[] => {
    const out: BoardFrame[] = [];
    for (let offset = 0; offset < bytes.length; offset += chunk)
      out.push({
        type,
        payload: (type === MessageType.DATASET ? encodeDataset : encodeUploadChunk)({
          offset,
          data: bytes.subarray(offset, offset + chunk),
        }),
      });
    return out;
  };
  const overhead = SECURITY.authTrailerSize;
  switch (op) {
    case 'flash': {
      const a = args as ArgsOf<'flash'>;
      const module = fromBase64(a.module);
      const sha256 = new Uint8Array(createHash('sha256').update(module).digest());
      const begin = a.manifest ? fromBase64(a.manifest) : encodeUploadBegin({ size: module.length, sha256 });
      return [
        { type: MessageType.UPLOAD_BEGIN, payload: begin },
        ...data(MAX_CHUNK_DATA - overhead, module, MessageType.UPLOAD_CHUNK),
        { type: MessageType.UPLOAD_COMMIT, payload: new Uint8Array(0) },
      ];
    }
    case 'train': {
      const a = args as ArgsOf<'train'>;
      return [
        { type: MessageType.CONFIG, payload: encodeConfig({ config: fromBase64(a.config) }) },
        ...data(MAX_DATASET_DATA - overhead, fromBase64(a.dataset), MessageType.DATASET),
        {
          type: MessageType.TRAIN_START,
          payload: encodeTrainStart({ steps: a.steps, telemetryMode: RELAYED_TELEMETRY_MODE, start: a.start }),
        },
      ];
    }
    case 'stop':
      return [{ type: MessageType.TRAIN_STOP, payload: new Uint8Array(0) }];
    case 'params_set':
      return [{ type: MessageType.PARAMS_WRITE, payload: encodeParamsWrite({ theta: (args as ArgsOf<'params_set'>).params }) }];
    case 'reset':
      return [{ type: MessageType.RESET, payload: new Uint8Array(0) }];
    case 'rollback':
      return [{ type: MessageType.ROLLBACK, payload: new Uint8Array(0) }];
    case 'confirm':
      return [{ type: MessageType.CONFIRM, payload: new Uint8Array(0) }];
  }
  throw new PayloadError(`'${String(op)}' is not an authenticated op`);
}

/** The board's session as its INFO reports it (the `info` op): what the tags must cover. */
export interface BoardSession {
  nonce: Uint8Array;
  lastCounter: number;
}

/** `auth` for one command: version ‖ n × (u8 type ‖ sha256(payload)[0..8] ‖ u32 counter ‖ tag[16]). */
export function sealCommand<O extends AuthenticatedOp>(controlKey: Uint8Array, session: BoardSession, op: O, args: ArgsOf<O>): string {
  const sealer = new Authenticator(controlKey, session.nonce, session.lastCounter);
  const w = new ByteWriter().u8(ENVELOPE_VERSION);
  for (const f of plannedFrames(op, args)) {
    const sealed = sealer.seal(f.type, f.payload);
    w.u8(f.type).bytes(digestOf(f.payload)).bytes(sealed.subarray(f.payload.length));
  }
  return toBase64(w.finish());
}

interface Entry {
  type: number;
  digest: Buffer;
  counter: number;
  trailer: Uint8Array;
}

function decodeEnvelope(envelope: Uint8Array): Entry[] {
  if (envelope.length < 1 || envelope[0] !== ENVELOPE_VERSION || (envelope.length - 1) % ENTRY_BYTES !== 0)
    throw new PayloadError(`auth: expected version ${ENVELOPE_VERSION} and ${ENTRY_BYTES}-byte entries, got ${envelope.length} bytes`);
  const out: Entry[] = [];
  for (let at = 1; at < envelope.length; at += ENTRY_BYTES) {
    const e = envelope.subarray(at, at + ENTRY_BYTES);
    const trailer = e.subarray(1 + DIGEST_BYTES);
    out.push({
      type: e[0],
      digest: Buffer.from(e.subarray(1, 1 + DIGEST_BYTES)),
      counter: new ByteReader(trailer, 'auth').u32('counter'),
      trailer,
    });
  }
  return out;
}

/**
 * The gateway's sealer for a provisioned board: it holds no key, only the trailers the
 * commands brought. A frame gets the trailer made for its type and payload (the newest,
 * if several: highest counter, then latest offered); trailers with a counter at or below one used are spent (the board would
 * refuse them) and dropped. A frame with no trailer goes as it is: the board refuses it.
 */
export class RelaySealer implements RequestSealer {
  readonly overhead = SECURITY.authTrailerSize;
  private entries: Entry[] = [];

  /** Adds the trailers of one command's `auth` (base64); malformed: PayloadError. */
  offer(auth: string): void {
    this.entries.push(...decodeEnvelope(fromBase64(auth)));
    if (this.entries.length > FLEET.maxAuthTrailers) this.entries.splice(0, this.entries.length - FLEET.maxAuthTrailers);
  }

  seal(type: number, payload: Uint8Array): Uint8Array {
    if (!AUTHENTICATED_TYPES.has(type)) return payload;
    const digest = digestOf(payload);
    let best: Entry | null = null;
    // Highest counter; among equal ones the latest offered (a command sealed again after the board refused one
    // made with another key: same frames, same counters, and the refused command's later trailers still here).
    for (const e of this.entries) if (e.type === type && e.digest.equals(digest) && (!best || e.counter >= best.counter)) best = e;
    if (!best) return payload;
    const used = best.counter;
    this.entries = this.entries.filter((e) => e.counter > used);
    return Buffer.concat([payload, best.trailer]);
  }
}

/** The part of the `info` op's answer the client needs from a board (absent for workers). */
const RemoteBoardSchema = z.looseObject({
  boardName: z.string(),
  abiVersion: z.int(),
  security: z
    .looseObject({ provisioned: z.boolean(), floor: z.int(), lastCounter: z.int(), nonce: z.string().regex(/^[0-9a-f]{32}$/) })
    .optional(),
});
export type RemoteBoard = z.infer<typeof RemoteBoardSchema>;

/** The board in an `info` answer, or null for a worker (nothing to authenticate). */
export function remoteBoard(info: Record<string, unknown>): RemoteBoard | null {
  if (info.board === undefined) return null;
  const parsed = RemoteBoardSchema.safeParse(info.board);
  if (!parsed.success) throw new PayloadError(`info: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`);
  return parsed.data;
}

export const sessionOf = (board: RemoteBoard): BoardSession | null =>
  board.security?.provisioned
    ? { nonce: new Uint8Array(Buffer.from(board.security.nonce, 'hex')), lastCounter: board.security.lastCounter }
    : null;

/** The commanding side: reads a board's session through its gateway (the `info` op) and seals commands locally. */
export class CommandSealer {
  private readonly controlKey: Uint8Array;

  constructor(
    private readonly client: FleetClient,
    key: SigningKey,
  ) {
    this.controlKey = controlKeyOf(key);
  }

  /** The board behind `executor` with a fresh INFO, or null for a worker. */
  async board(executor: string): Promise<RemoteBoard | null> {
    const status = this.client.statuses.get(executor);
    if (status?.state === 'online' && status.kind === 'worker') return null;
    return remoteBoard(await this.client.call(executor, 'info', {}));
  }

  /** `auth` for one command, or undefined where nothing checks it (a worker, an open board). `board`: an INFO just read. */
  async auth<O extends AuthenticatedOp>(executor: string, op: O, args: ArgsOf<O>, board?: RemoteBoard | null): Promise<string | undefined> {
    // A board whose status says it is open needs no seal: no `info` round trip (a sweep's runs on open boards).
    const status = this.client.statuses.get(executor);
    if (board === undefined && status?.state === 'online' && status.kind === 'board' && !status.provisioned) return undefined;
    const b = board === undefined ? await this.board(executor) : board;
    const session = b && sessionOf(b);
    return session ? sealCommand(this.controlKey, session, op, args) : undefined;
  }
}
