// Handshake: HELLO is repeated every helloIntervalMs until INFO arrives (bytes a
// board sends before the host opens its port are lost, DESIGN pitfall 11), then
// the board's protocol version is checked.
import { ErrorCode, MessageType, PROTOCOL_VERSION } from '../protocol/constants.ts';
import type { Frame } from '../protocol/frame.ts';
import { encodeHello } from '../protocol/payloads.generated.ts';
import { decodeDeviceInfo, peekInfoVersion, type DeviceInfo } from '../protocol/info.ts';
import { BoardError, DeviceUnreachableError, ProtocolMismatchError, RequestTimeoutError } from './errors.ts';
import type { FrameLink } from './link.ts';

export interface HandshakeOptions {
  timeoutMs: number;
  helloIntervalMs: number;
  /** Aborting it gives up at once (the handshake rejects with its reason). */
  signal?: AbortSignal;
}

export async function handshake(link: FrameLink, { timeoutMs, helloIntervalMs, signal }: HandshakeOptions): Promise<DeviceInfo> {
  const deadline = Date.now() + timeoutMs;
  let unsubscribe: Array<() => void> = [];
  // An INFO answering an earlier (timed-out) HELLO is as good as any, and a frame
  // of another protocol version tells us why the board never answers.
  const late = new Promise<Frame>((resolve, reject) => {
    unsubscribe = [
      link.onFrame((f) => f.type === MessageType.INFO && resolve(f)),
      link.onFault((fault) => {
        if (fault.code === ErrorCode.PROTOCOL_VERSION) reject(new ProtocolMismatchError(fault.version, PROTOCOL_VERSION, link.description));
      }),
      link.onLost((err) => reject(err)),
      onAbort(signal, reject),
    ];
  });
  try {
    let attempts = 0;
    for (;;) {
      attempts++;
      const wait = Math.max(1, Math.min(helloIntervalMs, deadline - Date.now()));
      try {
        const frame = await Promise.race([
          link.request(MessageType.HELLO, encodeHello({ version: PROTOCOL_VERSION }), { timeoutMs: wait }),
          late,
        ]);
        return checkInfo(frame, link.description);
      } catch (err) {
        if (err instanceof BoardError && err.code === ErrorCode.PROTOCOL_VERSION) {
          throw new ProtocolMismatchError(parseVersionFromText(err.text), PROTOCOL_VERSION, link.description);
        }
        if (!(err instanceof RequestTimeoutError)) throw err;
        if (Date.now() >= deadline) {
          throw new DeviceUnreachableError(
            `no answer from ${link.description} to ${attempts} HELLO request(s) in ${timeoutMs} ms: is a qiot board running there?`,
          );
        }
      }
    }
  } finally {
    unsubscribe.forEach((u) => {
      u();
    });
    late.catch(() => undefined);
  }
}

function checkInfo(frame: Frame, where: string): DeviceInfo {
  const version = peekInfoVersion(frame.payload);
  if (version !== PROTOCOL_VERSION) throw new ProtocolMismatchError(version, PROTOCOL_VERSION, where);
  return decodeDeviceInfo(frame.payload);
}

function onAbort(signal: AbortSignal | undefined, reject: (reason: unknown) => void): () => void {
  if (!signal) return () => undefined;
  const abort = () => reject(signal.reason);
  if (signal.aborted) abort();
  signal.addEventListener('abort', abort, { once: true });
  return () => signal.removeEventListener('abort', abort);
}

/** The board's ERROR PROTOCOL_VERSION text names its version, e.g. "board speaks 2, frame has 1". */
function parseVersionFromText(text: string): number | undefined {
  const numbers = text
    .match(/\d+/g)
    ?.map(Number)
    .filter((n) => n !== PROTOCOL_VERSION);
  return numbers?.[0];
}
