// One `train` command over the fleet, shared by RemoteTarget (the runs of `qiot sweep`
// and `qiot fleet train`) and FleetDevice (a board behind a gateway in the HIL suite):
// the arguments with a fresh telemetry tag, the command sealed for a provisioned board
// (fleet/auth.ts), this run's telemetry (its executor, its tag) watched from before the
// command leaves, an executor that never answers declared lost after
// FLEET.requestTimeoutMs, and the replies dispatched by stage. How the records are
// delivered and how a refusal is reported stay with the caller.
import { randomInt } from 'node:crypto';
import type { z } from 'zod';
import { ErrorCode } from '../protocol/constants.ts';
import type { CommandSealer } from './auth.ts';
import { ExecutorLostError, type FleetClient } from './client.ts';
import { FLEET } from './limits.ts';
import {
  isSummaryBody,
  toBase64,
  type RemoteErrorBody,
  type SummaryBody,
  type TelemetryMessage,
  type TrainArgsSchema,
} from './messages.ts';

type TrainArgs = z.infer<typeof TrainArgsSchema>;

export interface TrainRequest {
  config: Uint8Array;
  dataset: Uint8Array;
  steps: number;
  /** θ the run starts from (TRAIN_START's θ). */
  start?: ArrayLike<number>;
  /** Keep the run if the executor is running another (a sweep's prefetch). */
  queue?: boolean;
  /** θ₀ and θ after each step in `done` (workers only). */
  trace?: boolean;
}

/** A train command ready to send: its arguments and, for a provisioned board, its `auth`. */
export interface SealedTrain {
  args: TrainArgs;
  auth?: string;
}

export interface TrainHandlers {
  /** A telemetry record of this run (QoS 1 may bring one twice), from before the command leaves until end(). */
  onRecord(t: TelemetryMessage): void;
  /** `ok`: the executor started the run (a kept run's `queued` is not reported). */
  onStarted?(): void;
  /** `done`: the run ended; records it announces may still be on their way. */
  onDone(result: SummaryBody): void;
  /** `error`: the executor or its board refused or failed the run. */
  onRefused(error: RemoteErrorBody): void;
  /** The executor went offline, never answered, or is not known. */
  onLost(err: ExecutorLostError): void;
}

/** The arguments with a fresh tag, sealed with the board's current nonce when `sealer` is given and the board is provisioned. */
export async function sealTrain(executor: string, request: TrainRequest, sealer?: CommandSealer | null): Promise<SealedTrain> {
  const args: TrainArgs = {
    config: toBase64(request.config),
    dataset: toBase64(request.dataset),
    steps: request.steps,
    tag: randomInt(0, 0xffff_ffff),
    ...(request.queue ? { queue: true } : {}),
    ...(request.trace ? { trace: true } : {}),
    ...(request.start ? { start: Array.from(request.start) } : {}),
  };
  const auth = await sealer?.auth(executor, 'train', args);
  return auth === undefined ? { args } : { args, auth };
}

/** Sends the command; end() stops watching its telemetry and replies (call it once the caller has what it needs). */
export function sendTrain(client: FleetClient, executor: string, train: SealedTrain, h: TrainHandlers): { end(): void } {
  const { tag } = train.args;
  const unwatch = client.onTelemetry((id, t) => {
    if (id === executor && t.tag === tag) h.onRecord(t);
  });
  // No first answer at all (e.g. a stale "online" status of an executor that is gone): lost.
  const silent = setTimeout(() => {
    handle.cancel();
    h.onLost(new ExecutorLostError(executor, `${executor} did not answer 'train' within ${FLEET.requestTimeoutMs} ms`));
  }, FLEET.requestTimeoutMs);
  const handle = client.send(
    executor,
    'train',
    train.args,
    {
      onReply: (reply) => {
        clearTimeout(silent);
        if (reply.stage === 'queued') return; // kept until the executor's current run ends; its going offline still loses it
        if (reply.stage === 'ok') return h.onStarted?.();
        handle.cancel();
        if (reply.stage === 'error') h.onRefused(train.auth === undefined ? withKeyHint(reply.error) : reply.error);
        else if (isSummaryBody(reply.result)) h.onDone(reply.result);
        else h.onRefused({ kind: 'invalid', message: `${executor} answered 'train' with a task's result` });
      },
      onLost: (err) => {
        clearTimeout(silent);
        h.onLost(err);
      },
    },
    train.auth,
  );
  return {
    end: () => {
      clearTimeout(silent);
      handle.cancel();
      unwatch();
    },
  };
}

/** A provisioned board refused a command that carried no authentication: say what is missing. */
function withKeyHint(error: RemoteErrorBody): RemoteErrorBody {
  if (error.kind !== 'board' || error.code !== ErrorCode.UNAUTHENTICATED) return error;
  return { ...error, message: `${error.message} (the board is provisioned and no key was given: --key or $QIOT_KEY)` };
}
