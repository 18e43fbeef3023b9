// The dashboard server's own broker connection: it records, per board, the
// messages of the run in progress (train command, telemetry, final reply) so a
// page opened mid-run can replay them (backfill), and it sends the page's
// commands (stop, train) through the fleet's own client.
import { ExecutorLostError, RemoteError, type FleetClient } from '../fleet/client.ts';
import { FLEET } from '../fleet/limits.ts';
import { decodeReply, decodeTelemetryBatch, type Request } from '../fleet/messages.ts';
import { checkId, parseTopic, TopicError } from '../fleet/topics.ts';
import { FEED_TOPICS } from './feed.ts';
import { DASHBOARD } from './limits.ts';
import { CommandError } from './server.ts';

type TrainArgs = Extract<Request, { op: 'train' }>['args'];

interface Recorded {
  topic: string;
  payload: Buffer;
}

interface BoardRecord {
  train: Recorded | null;
  tag: number | null;
  telemetry: Recorded[];
  done: Recorded | null;
}

export interface BackfillMessage {
  topic: string;
  /** base64 */
  payload: string;
}

/** What INFO says about the active module's signature; a worker runs the host's own module file. */
export function signatureOf(info: Record<string, unknown>): string {
  const board = info.board as { security?: { provisioned: boolean; moduleVerified: boolean } } | undefined;
  if (!board) return 'n/a (worker)';
  if (!board.security) return 'unknown (firmware without security)';
  if (board.security.moduleVerified) return 'verified';
  return board.security.provisioned ? 'NOT verified' : 'unsigned (open board)';
}

export class BrokerLink {
  private readonly boards = new Map<string, BoardRecord>();
  private readonly corrBoard = new Map<string, string>();
  private readonly signatures = new Map<string, { module: string | null; answer: Promise<string> }>();

  private constructor(private readonly fleet: FleetClient) {
    fleet.mqtt.on('message', (topic, payload) => this.onMessage(topic, payload));
  }

  /** Follows the feed on a FleetClient's connection (which also carries the page's commands). */
  static async attach(fleet: FleetClient): Promise<BrokerLink> {
    const link = new BrokerLink(fleet);
    await fleet.mqtt.subscribeAsync(FEED_TOPICS, { qos: FLEET.qos }); // MQTT.js re-subscribes after a reconnect
    return link;
  }

  private board(id: string): BoardRecord {
    let b = this.boards.get(id);
    if (!b) this.boards.set(id, (b = { train: null, tag: null, telemetry: [], done: null }));
    return b;
  }

  private onMessage(topic: string, payload: Buffer): void {
    try {
      if (topic.endsWith('/reply')) {
        const reply = decodeReply(payload);
        const id = this.corrBoard.get(reply.corr);
        if (id !== undefined && reply.stage === 'done') this.board(id).done = { topic, payload };
        return;
      }
      const t = parseTopic(topic);
      if (!t) return;
      if (t.kind === 'cmd') {
        const req = JSON.parse(payload.toString('utf8')) as Partial<Request>;
        if (req.op !== 'train' || typeof req.corr !== 'string') return;
        this.corrBoard.set(req.corr, t.id);
        this.boards.set(t.id, {
          train: { topic, payload },
          tag: (req.args as { tag?: number } | undefined)?.tag ?? null,
          telemetry: [],
          done: null,
        });
      } else if (t.kind === 'telemetry') {
        const b = this.board(t.id);
        const { tag } = decodeTelemetryBatch(payload)[0]; // a batch never spans two runs
        if (b.tag !== tag) Object.assign(b, { train: null, tag, telemetry: [], done: null }); // a run whose command was before our time
        b.telemetry.push({ topic, payload });
        if (b.telemetry.length > DASHBOARD.backfillRecordsPerBoard)
          b.telemetry.splice(0, b.telemetry.length - DASHBOARD.backfillRecordsPerBoard);
      }
    } catch {
      // A malformed message from some publisher: the page reports its own decoding errors.
    }
  }

  /** The recorded messages of a board's current run, in arrival order, for the page to replay. */
  backfill(id: string): BackfillMessage[] {
    const b = this.boards.get(id);
    if (!b) return [];
    return [b.train, ...b.telemetry, b.done]
      .filter((m): m is Recorded => m !== null)
      .map((m) => ({ topic: m.topic, payload: m.payload.toString('base64') }));
  }

  /**
   * The signature status of the module a board runs, from its INFO (docs/security.md):
   * asked once per board and module (status only carries the hash).
   */
  signature(board: string): Promise<string> {
    const status = this.fleet.statuses.get(board);
    const module = status?.state === 'online' ? status.module_sha256 : null;
    const known = this.signatures.get(board);
    if (known && known.module === module) return known.answer;
    const answer = this.command(board, () => this.fleet.call(board, 'info', {})).then(signatureOf);
    answer.catch(() => this.signatures.delete(board));
    this.signatures.set(board, { module, answer });
    return answer;
  }

  /** Sends a fleet command and resolves with its first reply (`ok`); the executor's refusal becomes a CommandError. */
  stop(board: string): Promise<Record<string, unknown>> {
    return this.command(board, () => this.fleet.call(board, 'stop', {}));
  }

  train(board: string, args: TrainArgs): Promise<Record<string, unknown>> {
    return this.command(board, () => this.fleet.call(board, 'train', args));
  }

  private async command(board: string, send: () => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
    try {
      checkId(board);
      return await send();
    } catch (err) {
      if (err instanceof TopicError) throw new CommandError(err.message);
      if (err instanceof RemoteError)
        throw new CommandError(
          err.message,
          err.kind === 'invalid' || err.kind === 'config_rejected' || err.kind === 'no_module' ? 400 : 409,
        );
      if (err instanceof ExecutorLostError) throw new CommandError(err.message, 504);
      throw err;
    }
  }

  close(): Promise<void> {
    return this.fleet.close();
  }
}
