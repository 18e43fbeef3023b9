// The fleet as the dashboard sees it, rebuilt from the broker's messages alone
// (docs/fleet.md): retained status, binary telemetry, the train commands (for
// the run's config) and the replies (for its summary). Used by the page for
// live messages and for the backfill the server replays, so both decode alike.
import { FLEET } from '../fleet/limits.ts';
import {
  decodeReply,
  isSummaryBody,
  decodeRequest,
  decodeStatus,
  decodeTelemetryBatch,
  fromBase64,
  type Status,
  type SummaryBody,
} from '../fleet/messages.ts';
import { parseTopic, topics } from '../fleet/topics.ts';
import { OPTIMIZER, NLR_MODE } from '../wasm/abi.ts';
import { decodeAbiConfig, type AbiConfig } from '../wasm/config-codec.ts';
import { decodeTelemetry as decodeRecord, type TelemetryRecord } from '../wasm/telemetry.ts';

/** What the dashboard subscribes to. Commands are read only for a run's config; replies for its summary. */
export const FEED_TOPICS = [topics.allStatus, topics.allTelemetry, `${FLEET.topicRoot}/+/cmd`, `${FLEET.topicRoot}/_clients/+/reply`];

const REPLY_TOPIC = new RegExp(`^${FLEET.topicRoot}/_clients/[^/]+/reply$`);

export interface RunInfo {
  corr: string;
  tag: number;
  steps: number;
  abi: AbiConfig;
  /** Optimizer as run logs name it (nlr-gated, sgd …). */
  optimizer: string;
  shotBudget: number;
}

export type FeedEvent =
  | { kind: 'status'; id: string; status: Status }
  /** The retained status was cleared: the executor is retired. */
  | { kind: 'gone'; id: string }
  | { kind: 'run'; id: string; run: RunInfo }
  | { kind: 'telemetry'; id: string; seq: number; tag: number; stepUs?: number; record: TelemetryRecord }
  | { kind: 'summary'; id: string; corr: string; summary: SummaryBody };

const nameOf = <T extends Record<string, number>>(table: T, value: number) =>
  Object.keys(table).find((k) => table[k] === value) ?? `#${value}`;

export function optimizerName(abi: AbiConfig): string {
  const name = nameOf(OPTIMIZER, abi.optimizer);
  return name === 'nlr' ? `nlr-${nameOf(NLR_MODE, abi.nlrMode)}` : name;
}

/**
 * Decodes one broker message into what it means for the dashboard (one event per
 * telemetry record of a batch); none for a message it has no use for (info/flash
 * commands, other clients' ok replies).
 * `corrBoard` maps a train command's correlation id to its board (filled here).
 */
export function decodeFeed(topic: string, payload: Uint8Array, corrBoard: Map<string, string>): FeedEvent[] {
  if (REPLY_TOPIC.test(topic)) {
    const reply = decodeReply(payload);
    const id = corrBoard.get(reply.corr);
    if (reply.stage !== 'done' || id === undefined || !isSummaryBody(reply.result)) return [];
    corrBoard.delete(reply.corr);
    return [{ kind: 'summary', id, corr: reply.corr, summary: reply.result }];
  }
  const t = parseTopic(topic);
  if (!t) return [];
  switch (t.kind) {
    case 'status':
      return [payload.length === 0 ? { kind: 'gone', id: t.id } : { kind: 'status', id: t.id, status: decodeStatus(payload) }];
    case 'telemetry': {
      return decodeTelemetryBatch(payload).map((m) => ({
        kind: 'telemetry' as const,
        id: t.id,
        seq: m.seq,
        tag: m.tag,
        ...(m.stepUs === undefined ? {} : { stepUs: m.stepUs }),
        record: decodeRecord(m.raw),
      }));
    }
    case 'cmd': {
      const req = decodeRequest(payload);
      if (req.op !== 'train') return [];
      const abi = decodeAbiConfig(fromBase64(req.args.config));
      corrBoard.set(req.corr, t.id);
      return [
        {
          kind: 'run',
          id: t.id,
          run: {
            corr: req.corr,
            tag: req.args.tag,
            steps: req.args.steps,
            abi,
            optimizer: optimizerName(abi),
            shotBudget: Number(abi.shotBudget),
          },
        },
      ];
    }
    default:
      return [];
  }
}
