// The fleet's MQTT topics (docs/fleet.md). Every board or worker ("executor")
// has a stable id and lives under qiot/v1/<id>/…; clients that send commands
// receive replies under qiot/v1/_clients/<client-id>/reply.
import { QiotError } from '../errors.ts';
import { FLEET } from './limits.ts';

const ROOT = FLEET.topicRoot;

/** Ids are one topic level: no '/', '+', '#', no leading '_' (reserved for clients), printable, ≤ 64 chars. */
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export class TopicError extends QiotError {
  constructor(message: string) {
    super(message, 'invalid');
    this.name = 'TopicError';
  }
}

export function checkId(id: string, what = 'board id'): string {
  if (!ID.test(id)) {
    throw new TopicError(`invalid ${what} '${id}': use 1–64 of A–Z a–z 0–9 . _ : - (not starting with . _ : -)`);
  }
  return id;
}

export const topics = {
  /** Retained JSON status; the broker publishes the last will (offline) when the executor vanishes. */
  status: (id: string) => `${ROOT}/${checkId(id)}/status`,
  /** Binary telemetry records, QoS 1, each with the executor's sequence number. */
  telemetry: (id: string) => `${ROOT}/${checkId(id)}/telemetry`,
  /** Text log lines of the board (its LOG frames) and of the gateway about it. */
  log: (id: string) => `${ROOT}/${checkId(id)}/log`,
  /** JSON commands to the executor. */
  cmd: (id: string) => `${ROOT}/${checkId(id)}/cmd`,
  /** JSON replies to a client's commands. */
  reply: (clientId: string) => `${ROOT}/_clients/${checkId(clientId, 'client id')}/reply`,
  /** Subscriptions over every executor. */
  allStatus: `${ROOT}/+/status`,
  allTelemetry: `${ROOT}/+/telemetry`,
  allLog: `${ROOT}/+/log`,
} as const;

export type TopicKind = 'status' | 'telemetry' | 'log' | 'cmd';

/** Splits qiot/v1/<id>/<kind>; null for any other topic (e.g. a client's reply topic). */
export function parseTopic(topic: string): { id: string; kind: TopicKind } | null {
  const parts = topic.split('/');
  if (parts.length !== 4 || `${parts[0]}/${parts[1]}` !== ROOT) return null;
  const [, , id, kind] = parts;
  if (!ID.test(id) || !['status', 'telemetry', 'log', 'cmd'].includes(kind)) return null;
  return { id, kind: kind as TopicKind };
}
