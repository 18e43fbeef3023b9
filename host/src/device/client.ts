// DeviceClient: the protocol client of one board (docs/protocol.md). It does
// not care what carries the bytes (serial port, PTY, in-process link).
import {
  BoardState,
  boardStateName,
  MAX_DATASET_DATA,
  MessageType,
  resetCauseName,
  TelemetryMode,
  UNSOLICITED_SEQ,
} from '../protocol/constants.ts';
import type { Frame } from '../protocol/frame.ts';
import {
  decodeDatasetOk,
  decodeLog,
  decodeParamsReadOk,
  decodeRollbackOk,
  decodeTelemetryAckOk,
  decodeTelemetryFetchOk,
  decodeTrainStartOk,
  encodeConfig,
  encodeDataset,
  encodeParamsRead,
  encodeParamsWrite,
  encodeTelemetryAck,
  encodeTelemetryFetch,
  encodeTrainStart,
  decodeStatus,
  decodeTelemetry,
  type TelemetryAckOk,
  type StatusMessage,
  type UploadCommitOk,
  type TelemetryFetchOk,
  type LogMessage,
  type TelemetryMessage,
} from '../protocol/payloads.generated.ts';
import type { DeviceInfo } from '../protocol/info.ts';
import { openBoardPort, type BoardPort, type BoardPortOptions } from '../realboard/board-port.ts';
import { PortOpenError, type Transport } from '../transport/transport.ts';
import { Authenticator } from '../security/auth.ts';
import { handshake } from './connect.ts';
import { BoardRestartedError, DeviceUnreachableError, ProtocolMismatchError, RequestTimeoutError } from './errors.ts';
import { CLIENT } from './limits.ts';
import { FrameLink } from './link.ts';
import { TrainingRun, type TrainingHandlers } from './training.ts';
import { uploadModule, type UploadOptions, type UploadResult } from './upload.ts';

export interface ConnectOptions {
  timeoutMs?: number;
  helloIntervalMs?: number;
  /** Control key of a provisioned board (src/security/auth.ts): state-changing requests are then authenticated. */
  controlKey?: Uint8Array;
  /** Aborting it gives up the handshake at once (e.g. the user quits while connecting). */
  signal?: AbortSignal;
  /** When a quiet run is probed and how long the probe may go unanswered (default CLIENT.runQuietMs, runSilentMs). */
  liveness?: Partial<Liveness>;
}

export interface Liveness {
  quietMs: number;
  silentMs: number;
}

export interface OpenOptions extends ConnectOptions, BoardPortOptions {}

export interface TrainOptions {
  /** 'pause' (default): the board pauses rather than overwrite records this host has not acknowledged; 'drop-oldest': it overwrites them and counts them. */
  telemetry?: 'pause' | 'drop-oldest';
  /** θ the run starts from (TRAIN_START carries it). */
  start?: ArrayLike<number>;
}

export interface FetchResult extends TelemetryFetchOk {
  frames: TelemetryMessage[];
}

export class DeviceClient {
  private readonly liveness: Liveness;

  private constructor(
    readonly link: FrameLink,
    public info: DeviceInfo,
    liveness: Partial<Liveness> = {},
  ) {
    this.liveness = { quietMs: CLIENT.runQuietMs, silentMs: CLIENT.runSilentMs, ...liveness };
  }

  /** Handshakes over an open transport; closes it if the board does not answer properly. */
  static async connect(transport: Transport, opts: ConnectOptions = {}): Promise<DeviceClient> {
    const link = new FrameLink(transport);
    try {
      const info = await handshake(link, {
        timeoutMs: opts.timeoutMs ?? CLIENT.connectTimeoutMs,
        helloIntervalMs: opts.helloIntervalMs ?? CLIENT.helloIntervalMs,
        signal: opts.signal,
      });
      const client = new DeviceClient(link, info, opts.liveness);
      if (opts.controlKey) client.authenticate(opts.controlKey);
      return client;
    } catch (err) {
      await transport.close().catch(() => undefined);
      throw err;
    }
  }

  /** Opens a serial port or PTY path and handshakes. A real serial port is opened at the
   *  firmware's baud rate and its chip restarted first (src/realboard/board-port.ts); if
   *  the board never answers, the error also quotes what it printed. */
  static async open(path: string, opts: OpenOptions = {}): Promise<DeviceClient> {
    let board: BoardPort;
    try {
      board = await openBoardPort(path, opts);
    } catch (err) {
      if (err instanceof PortOpenError) throw Object.assign(new DeviceUnreachableError(err.message), { cause: err });
      throw err;
    }
    try {
      return await DeviceClient.connect(board.transport, opts);
    } catch (err) {
      if (err instanceof DeviceUnreachableError && !(err instanceof ProtocolMismatchError)) {
        err.message = `${err.message}; ${board.describeSilence()}`;
      }
      throw err;
    } finally {
      board.stopCollecting();
    }
  }

  get port(): string {
    return this.link.description;
  }

  private controlKey: Uint8Array | null = null;
  /** The last run started or attached here (stop() ends it if the board restarted under it). */
  private run: TrainingRun | null = null;

  /** Authenticates state-changing requests from now on when the board is provisioned
   *  (its INFO nonce and last counter start the session; an open board needs nothing). */
  authenticate(controlKey: Uint8Array): void {
    this.controlKey = controlKey;
    this.rekey();
  }

  private rekey(): void {
    const sec = this.info.security;
    this.link.setSealer(this.controlKey && sec?.provisioned ? new Authenticator(this.controlKey, sec.nonce, sec.lastCounter) : null);
  }

  private request(type: number, payload?: Uint8Array, timeoutMs: number = CLIENT.requestTimeoutMs): Promise<Frame> {
    return this.link.request(type, payload, { timeoutMs });
  }

  /** Re-reads INFO (after an upload the active slot and module change). */
  async refreshInfo(): Promise<DeviceInfo> {
    this.info = await handshake(this.link, { timeoutMs: CLIENT.connectTimeoutMs, helloIntervalMs: CLIENT.helloIntervalMs });
    // After a reset the board has a new nonce; after provisioning it wants tags.
    if (this.controlKey) this.rekey();
    return this.info;
  }

  async status(): Promise<StatusMessage> {
    return decodeStatus((await this.request(MessageType.STATUS_REQUEST)).payload);
  }

  async upload(module: Uint8Array, opts: UploadOptions = {}): Promise<UploadResult> {
    const result = await uploadModule(this.link, module, opts);
    if (!result.committed) return result;
    // A module committed over another is on trial until confirmed (docs/reliability.md).
    if (opts.confirm) await this.request(MessageType.CONFIRM);
    await this.refreshInfo();
    return result;
  }

  /** CONFIG (the 192-byte ABI struct) then the packed dataset in DATASET chunks. */
  async configure(config: Uint8Array, dataset: Uint8Array): Promise<void> {
    await this.request(MessageType.CONFIG, encodeConfig({ config }));
    const chunk = MAX_DATASET_DATA - this.link.requestOverhead;
    for (let offset = 0; offset < dataset.length; offset += chunk) {
      const data = dataset.subarray(offset, offset + chunk);
      const answer = await this.request(MessageType.DATASET, encodeDataset({ offset, data }));
      const { end } = decodeDatasetOk(answer.payload);
      if (end !== offset + data.length) {
        throw new DeviceUnreachableError(`board acknowledged dataset bytes up to ${end}, expected ${offset + data.length}`);
      }
    }
  }

  /** TRAIN_START; telemetry then flows to `handlers` until the run's `done` settles. steps 0 = until STOP or budget.
   *  telemetry 'pause' (default): the board pauses rather than overwrite records this host has not
   *  acknowledged (the run acknowledges as it delivers); 'drop-oldest': it overwrites them and counts them.
   *  `start`: θ the run starts from (written after init, before the first step; the config's param_init is then host). */
  async train(steps: number, handlers: TrainingHandlers, opts: TrainOptions = {}): Promise<TrainingRun> {
    const mode = opts.telemetry === 'drop-oldest' ? TelemetryMode.DROP_OLDEST : TelemetryMode.PAUSE;
    const { nextTseq } = await this.status();
    // TELEMETRY may follow the OK in the same read, before this method resumes:
    // keep the frames routed after the OK (not earlier ones, e.g. a late DONE) for the run.
    let answered = false;
    const early: Frame[] = [];
    const buffer = this.link.onFrame((f) => {
      if (answered) early.push(f);
    });
    try {
      const ok = await this.link.request(MessageType.TRAIN_START, encodeTrainStart({ steps, telemetryMode: mode, start: opts.start }), {
        timeoutMs: CLIENT.requestTimeoutMs,
        onAnswer: () => (answered = true),
      });
      const { paramCount } = decodeTrainStartOk(ok.payload);
      const run = new TrainingRun(
        this.link,
        paramCount,
        nextTseq,
        handlers,
        (from) => this.fetchTelemetry(from),
        (next) => this.ackTelemetry(next),
      );
      buffer();
      for (const f of early) run.ingest(f);
      this.follow(run);
      return run;
    } finally {
      buffer();
    }
  }

  /** Follows a run already in progress (e.g. after a reconnect): delivers records from nextTseq on,
   *  first those the board's ring kept while this host was away, and acknowledges them. */
  attach(nextTseq: number, paramCount: number, handlers: TrainingHandlers): TrainingRun {
    const run = new TrainingRun(
      this.link,
      paramCount,
      nextTseq,
      handlers,
      (from) => this.fetchTelemetry(from),
      (next) => this.ackTelemetry(next),
    );
    run.resume();
    this.follow(run);
    return run;
  }

  /** TRAIN_STOP: the run ends with DONE STOPPED; a step under way on the board is abandoned (docs/protocol.md). */
  async stop(): Promise<void> {
    await this.request(MessageType.TRAIN_STOP, undefined, CLIENT.stopTimeoutMs);
    const run = this.run;
    // TRAIN_STOP's DONE comes before STATUS's answer: a run still open then was lost to a restart.
    if (run?.open) await this.endIfRestarted(run, await this.status());
  }

  /** Makes `run` the one stop() checks, and probes it whenever it is quiet (docs/device-client.md "A board that
   *  restarts during a run"): a frame the board sends on its own (TELEMETRY, LOG, ERROR, DONE) re-arms the timer;
   *  answers do not (a restarted board answers too): those to requests never reach onFrame, late ones are skipped. */
  private follow(run: TrainingRun): void {
    this.run = run;
    const { quietMs, silentMs } = this.liveness;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let probing = false;
    const arm = () => {
      clearTimeout(timer);
      if (run.open && !probing) timer = setTimeout(() => void probe(), quietMs);
    };
    const probe = async () => {
      probing = true;
      try {
        const answer = await this.link.request(MessageType.STATUS_REQUEST, undefined, { timeoutMs: silentMs });
        const status = decodeStatus(answer.payload);
        if (status.state === BoardState.PAUSED) run.ackAgain();
        await this.endIfRestarted(run, status);
      } catch (err) {
        if (err instanceof RequestTimeoutError) {
          run.abandon(
            new DeviceUnreachableError(
              `the board on ${this.port} sent nothing for ${quietMs} ms during the run, then left STATUS unanswered for ${silentMs} ms`,
            ),
          );
        } else if (!(err instanceof DeviceUnreachableError)) run.abandon(err as Error); // a lost link ends the run by itself
      } finally {
        probing = false;
        arm();
      }
    };
    const unlisten = this.link.onFrame((f) => f.seq === UNSOLICITED_SEQ && arm());
    run.done
      .finally(() => {
        unlisten();
        clearTimeout(timer);
      })
      .catch(() => undefined);
    arm();
  }

  /** A board that restarted during a run (watchdog, crash, power) is idle and never sends the run's DONE: given a
   *  STATUS read after every frame the run had, an idle board with the run still open ends it, naming the reset cause. */
  private async endIfRestarted(run: TrainingRun, { state }: StatusMessage): Promise<void> {
    if (state === BoardState.TRAINING || state === BoardState.PAUSED || !run.open) return;
    const cause = (await this.refreshInfo()).boot?.resetCause;
    run.abandon(new BoardRestartedError(this.port, boardStateName(state), cause === undefined ? undefined : resetCauseName(cause)));
  }

  /** The ring's TELEMETRY records with tseq ≥ fromTseq (used after a reconnect or a lost frame). */
  async fetchTelemetry(fromTseq: number): Promise<FetchResult> {
    const frames: TelemetryMessage[] = [];
    const answer = await this.link.request(MessageType.TELEMETRY_FETCH, encodeTelemetryFetch({ fromTseq }), {
      timeoutMs: CLIENT.requestTimeoutMs,
      onIntermediate: (f) => {
        // Replays are TELEMETRY_REPLAY; firmware before that sent them as TELEMETRY.
        if (f.type !== MessageType.TELEMETRY_REPLAY && f.type !== MessageType.TELEMETRY) return false;
        frames.push(decodeTelemetry(f.payload));
        return true;
      },
    });
    return { ...decodeTelemetryFetchOk(answer.payload), frames };
  }

  /** PARAMS_READ, a frame's worth at a time: θ of the module as the last run left it (the board
   *  refuses with BAD_STATE before any TRAIN_START since the module was loaded). */
  async readParams(): Promise<Float64Array> {
    let theta: Float64Array | null = null;
    let have = 0;
    do {
      const page = decodeParamsReadOk((await this.request(MessageType.PARAMS_READ, encodeParamsRead({ first: have }))).payload);
      theta ??= new Float64Array(page.count);
      if (page.count !== theta.length || (page.values.length === 0 && have < page.count) || have + page.values.length > page.count) {
        throw new DeviceUnreachableError(
          `PARAMS_READ from ${have}: the board answered ${page.values.length} of ${page.count} values, expected part of ${theta.length}`,
        );
      }
      theta.set(page.values, have);
      have += page.values.length;
    } while (have < theta.length);
    return theta;
  }

  /** PARAMS_WRITE: replaces θ while the board is idle (exactly param_count() values; the
   *  optimizer state is kept, docs/abi.md). The next TRAIN_START re-initialises θ from the
   *  config, so this sets θ for inspection and evaluation, not for a warm start. */
  async writeParams(theta: ArrayLike<number>): Promise<void> {
    await this.request(MessageType.PARAMS_WRITE, encodeParamsWrite({ theta }));
  }

  /** PROVISION (docs/security.md): trusted keys and control key, or none to open the board again; then re-reads INFO. */
  async provision(payload: Uint8Array): Promise<DeviceInfo> {
    await this.request(MessageType.PROVISION, payload);
    return this.refreshInfo();
  }

  /** TELEMETRY_ACK: this host holds every record below nextTseq (lossless telemetry). */
  async ackTelemetry(nextTseq: number): Promise<TelemetryAckOk> {
    return decodeTelemetryAckOk((await this.request(MessageType.TELEMETRY_ACK, encodeTelemetryAck({ nextTseq }))).payload);
  }

  /** CONFIRM (docs/reliability.md "Trial boot"): ends the active module's trial, so a reset no
   *  longer reverts it; then re-reads INFO. OK too when nothing was pending. */
  async confirm(): Promise<DeviceInfo> {
    await this.request(MessageType.CONFIRM);
    return this.refreshInfo();
  }

  /** ROLLBACK: the previous module (the other slot) becomes active again; then re-reads INFO. */
  async rollback(): Promise<UploadCommitOk> {
    const result = decodeRollbackOk((await this.request(MessageType.ROLLBACK)).payload);
    await this.refreshInfo();
    return result;
  }

  /** RESET: the board answers OK, then restarts (slots survive); reconnect afterwards. */
  async reset(): Promise<void> {
    await this.request(MessageType.RESET);
  }

  onLog(listener: (log: LogMessage) => void): () => void {
    return this.link.onFrame((f) => f.type === MessageType.LOG && listener(decodeLog(f.payload)));
  }

  async close(): Promise<void> {
    await this.link.close();
  }
}
