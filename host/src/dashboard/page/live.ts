// Live boards from the broker over MQTT-over-WebSocket. Every message goes
// through decodeFeed (shared with the server's backfill); a board seen for the
// first time is backfilled from the server's record of its current run, so a
// page opened mid-run draws the run from its first step. MQTT.js reconnects
// every PAGE.reconnectPeriodMs; loss and recovery are reported.
import mqtt from 'mqtt';
import { decodeFeed, FEED_TOPICS, type FeedEvent, type RunInfo } from '../feed.ts';
import { PAGE } from '../limits.ts';
import type { BoardView } from './fleet-table.ts';
import { RunSeries } from './series.ts';

export interface LiveBoard {
  view: BoardView;
  series: RunSeries;
  run: RunInfo | null;
  /** Telemetry tag of the run drawn in `series`. */
  tag: number | null;
  summary: Record<string, unknown> | null;
  /** Arrival times (ms) of the latest records, for steps/s. */
  arrivals: number[];
}

export interface LiveHandlers {
  connection(state: 'connecting' | 'connected' | 'lost', detail?: string): void;
  /** Something changed; `structural` unless it was only a telemetry record (those are picked up by the series' versions). */
  changed(structural: boolean): void;
  /** A message that could not be decoded (shown, not thrown). */
  problem(text: string): void;
}

const RATE_WINDOW = 20;

function newBoard(id: string): LiveBoard {
  return {
    view: {
      id,
      target: '—',
      module: null,
      signature: null,
      state: 'unknown',
      step: null,
      loss: null,
      shotsUsed: null,
      shotsBudget: null,
      stepsPerS: null,
      lastSeen: Date.now(),
      training: false,
    },
    series: new RunSeries(),
    run: null,
    tag: null,
    summary: null,
    arrivals: [],
  };
}

export function applyEvent(boards: Map<string, LiveBoard>, e: FeedEvent, now: number, live: boolean): void {
  if (e.kind === 'gone') {
    boards.delete(e.id);
    return;
  }
  let b = boards.get(e.id);
  if (!b) boards.set(e.id, (b = newBoard(e.id)));
  const v = b.view;
  if (live) v.lastSeen = now;
  switch (e.kind) {
    case 'status': {
      const s = e.status;
      if (s.state === 'offline') {
        v.state = 'offline';
        v.training = false;
        break;
      }
      v.target = s.target.kind === 'board' ? `${s.target.board}${s.kind === 'worker' ? ' (worker)' : ''}` : s.kind;
      v.module = s.module_sha256;
      v.training = s.busy !== null;
      v.state = s.busy !== null ? 'training' : 'idle';
      break;
    }
    case 'run':
      // The same run may already be drawn from its telemetry (the backfill arrives after live records).
      if (b.tag !== e.run.tag) {
        b.tag = e.run.tag;
        b.series = new RunSeries();
        b.summary = null;
        b.arrivals = [];
      }
      b.run = e.run;
      v.shotsBudget = e.run.shotBudget || null;
      break;
    case 'telemetry': {
      if (b.tag !== e.tag) {
        // A run whose command this page did not see (started before the page and the server).
        b.tag = e.tag;
        if (b.run?.tag !== e.tag) b.run = null;
        b.series = new RunSeries();
        b.summary = null;
        b.arrivals = [];
      }
      const r = e.record;
      b.series.add({
        step: r.step,
        loss: r.loss,
        trialLoss: Number.isNaN(r.trialLoss) ? null : r.trialLoss,
        gradNorm: r.gradNorm,
        shotsTotal: r.shotsTotal,
        negative: r.phase === 1,
      });
      const last = b.series.last()!;
      v.step = last.step;
      v.loss = last.loss;
      v.shotsUsed = last.shotsTotal;
      if (live) {
        b.arrivals.push(now);
        if (b.arrivals.length > RATE_WINDOW) b.arrivals.shift();
        const span = (b.arrivals[b.arrivals.length - 1] - b.arrivals[0]) / 1000;
        v.stepsPerS = span > 0 ? (b.arrivals.length - 1) / span : null;
      }
      break;
    }
    case 'summary':
      if (b.run && b.run.corr !== e.corr) break;
      b.summary = e.summary as unknown as Record<string, unknown>;
      v.stepsPerS = null;
      break;
  }
}

const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

export function connectLive(url: string, boards: Map<string, LiveBoard>, on: LiveHandlers): void {
  const corrBoard = new Map<string, string>();
  const backfilled = new Set<string>();
  /** Module whose signature status was asked for, per board. */
  const signed = new Map<string, string | null>();
  const handle = (topic: string, payload: Uint8Array, live: boolean) => {
    let events: FeedEvent[];
    try {
      events = decodeFeed(topic, payload, corrBoard);
    } catch (err) {
      on.problem(`${topic}: ${(err as Error).message}`);
      return;
    }
    for (const e of events) handleEvent(e, live);
  };
  const handleEvent = (e: FeedEvent, live: boolean) => {
    applyEvent(boards, e, Date.now(), live);
    if (e.kind === 'status' && e.status.state === 'online' && signed.get(e.id) !== e.status.module_sha256) {
      const module = e.status.module_sha256;
      signed.set(e.id, module);
      void fetch(`/api/signature?board=${encodeURIComponent(e.id)}`)
        .then((res) => (res.ok ? res.json() : { signature: null }))
        .then((body: { signature: string | null }) => {
          const b = boards.get(e.id);
          if (b && b.view.module === module) b.view.signature = body.signature;
          on.changed(true);
        })
        .catch(() => signed.delete(e.id));
    }
    if (live && !backfilled.has(e.id)) {
      backfilled.add(e.id);
      void fetch(`/api/backfill?board=${encodeURIComponent(e.id)}`)
        .then((res) => (res.ok ? res.json() : []))
        .then((msgs: { topic: string; payload: string }[]) => {
          for (const m of msgs) handle(m.topic, fromBase64(m.payload), false);
          on.changed(true);
        })
        .catch(() => backfilled.delete(e.id));
    }
    on.changed(e.kind !== 'telemetry');
  };
  const client = mqtt.connect(url, { protocolVersion: 4, reconnectPeriod: PAGE.reconnectPeriodMs, connectTimeout: 5_000, clean: true });
  on.connection('connecting');
  client.on('connect', () => {
    // After a loss, replay each board's run from the server again: records sent while
    // this page was away are there if the server was subscribed when they passed.
    backfilled.clear();
    on.connection('connected');
    client.subscribe(FEED_TOPICS, { qos: 1 });
  });
  client.on('close', () => on.connection('lost'));
  client.on('offline', () => on.connection('lost'));
  client.on('error', (err) => on.connection('lost', err.message));
  client.on('message', (topic, payload) => handle(topic, payload, true));
}
