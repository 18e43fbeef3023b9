// Module upload: UPLOAD_BEGIN (the board reports how much of this same module it
// already holds), chunks pipelined `window` deep, and, when the board refuses a
// chunk's offset (ERROR UPLOAD_OFFSET: a lost or reordered chunk), draining the
// window and resuming from the offset a fresh UPLOAD_BEGIN reports. COMMIT last.
import { createHash } from 'node:crypto';
import { ErrorCode, MAX_CHUNK_DATA, MessageType } from '../protocol/constants.ts';
import {
  decodeUploadBeginOk,
  decodeUploadChunkOk,
  decodeUploadCommitOk,
  encodeUploadBegin,
  encodeUploadChunk,
  type UploadCommitOk,
} from '../protocol/payloads.generated.ts';
import { signedBeginPayload, type WireManifest } from '../security/manifest.ts';
import { BoardError, DeviceError } from './errors.ts';
import { CLIENT } from './limits.ts';
import type { FrameLink } from './link.ts';

export interface UploadOptions {
  window?: number;
  /** Called whenever the board acknowledges more bytes. */
  onProgress?: (acknowledged: number, total: number) => void;
  /** Stop after this many acknowledged bytes without committing (fault-injection tests). */
  stopAfter?: number;
  /** The module's signed manifest (docs/security.md), required by a provisioned board. */
  manifest?: WireManifest;
  /** CONFIRM right after the commit (DeviceClient.upload): no trial, a reset keeps the module. */
  confirm?: boolean;
}

export interface UploadResult extends UploadCommitOk {
  /** Bytes the board already held when the upload began (a resumed upload). */
  resumedFrom: number;
  /** Times the upload restarted from the board's offset. */
  resumes: number;
  committed: boolean;
}

export function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

export async function uploadModule(link: FrameLink, module: Uint8Array, opts: UploadOptions = {}): Promise<UploadResult> {
  const window = opts.window ?? CLIENT.uploadWindow;
  const digest = sha256(module);
  const { manifest } = opts;
  if (manifest && (manifest.size !== module.length || Buffer.compare(manifest.sha256, digest) !== 0)) {
    throw new DeviceError(
      `the signature is for a module of ${manifest.size} B with sha256 ${Buffer.from(manifest.sha256).toString('hex')}, not this one (${module.length} B, ${Buffer.from(digest).toString('hex')})`,
    );
  }
  const beginPayload = manifest ? signedBeginPayload(manifest) : encodeUploadBegin({ size: module.length, sha256: digest });
  const total = opts.stopAfter !== undefined ? Math.min(opts.stopAfter, module.length) : module.length;
  const begin = async () =>
    decodeUploadBeginOk(
      (
        await link.request(MessageType.UPLOAD_BEGIN, beginPayload, {
          timeoutMs: CLIENT.requestTimeoutMs,
        })
      ).payload,
    ).resume;
  const resumedFrom = await begin();
  let offset = resumedFrom;
  let resumes = 0;
  opts.onProgress?.(offset, module.length);
  while (offset < total) {
    const outcome = await sendWindowed(link, module, offset, total, window, opts.onProgress);
    if (outcome.done) {
      offset = total;
      break;
    }
    if (++resumes > CLIENT.uploadResumeLimit) {
      throw new DeviceError(`upload kept losing chunks: gave up after ${CLIENT.uploadResumeLimit} resumes at byte ${offset}`);
    }
    offset = await begin();
  }
  if (total < module.length) {
    return { activeSlot: -1, sha256: digest, resumedFrom, resumes, committed: false };
  }
  const commit = await link.request(MessageType.UPLOAD_COMMIT, undefined, { timeoutMs: CLIENT.commitTimeoutMs });
  const result = decodeUploadCommitOk(commit.payload);
  if (Buffer.compare(result.sha256, digest) !== 0) {
    throw new DeviceError(
      `board activated a module with sha256 ${Buffer.from(result.sha256).toString('hex')}, expected ${Buffer.from(digest).toString('hex')}`,
    );
  }
  return { ...result, resumedFrom, resumes, committed: true };
}

type WindowOutcome = { done: true } | { done: false };

function sendWindowed(
  link: FrameLink,
  module: Uint8Array,
  start: number,
  end: number,
  window: number,
  onProgress?: (acknowledged: number, total: number) => void,
): Promise<WindowOutcome> {
  return new Promise((resolve, reject) => {
    let next = start;
    let acknowledged = start;
    let inFlight = 0;
    let refused = false;
    let fatal: Error | null = null;
    const pump = () => {
      if (fatal || refused) {
        if (inFlight === 0) fatal ? reject(fatal) : resolve({ done: false });
        return;
      }
      while (inFlight < window && next < end) {
        const offset = next;
        const data = module.subarray(offset, Math.min(offset + MAX_CHUNK_DATA - link.requestOverhead, end));
        next += data.length;
        // The board answers chunks in order, so this one also waits for those already in flight.
        const timeoutMs = CLIENT.requestTimeoutMs * (inFlight + 1);
        inFlight++;
        link
          .request(MessageType.UPLOAD_CHUNK, encodeUploadChunk({ offset, data }), { timeoutMs })
          .then((answer) => {
            const count = decodeUploadChunkOk(answer.payload).received;
            if (count > acknowledged) {
              acknowledged = count;
              onProgress?.(acknowledged, module.length);
            }
          })
          .catch((err: Error) => {
            if (err instanceof BoardError && err.code === ErrorCode.UPLOAD_OFFSET) refused = true;
            else fatal ??= err;
          })
          .finally(() => {
            inFlight--;
            pump();
          });
      }
      if (inFlight === 0 && next >= end) resolve({ done: true });
    };
    pump();
  });
}
