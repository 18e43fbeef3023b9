// What `qiot monitor` shows: each frame a board sends on its own (TELEMETRY, LOG,
// ERROR, DONE) and the monitor's own link events, as one record with a kind and a
// severity — printed as a timestamped line (coloured on a terminal) or as one JSON
// object per line (--json).
import { inspect } from 'node:util';
import { doneStatusName, errorCodeName, LOG_LEVELS, MessageType } from '../protocol/constants.ts';
import type { Frame } from '../protocol/frame.ts';
import { decodeDone, decodeError, decodeLog, decodeTelemetry as decodeTelemetryFrame } from '../protocol/payloads.generated.ts';
import { formatLoss, formatPercent } from '../ui/format.ts';
import { decodeTelemetry } from '../wasm/telemetry.ts';

export const MONITOR_KINDS = ['telemetry', 'log', 'error', 'done', 'link'] as const;
export type MonitorKind = (typeof MONITOR_KINDS)[number];
export type Level = (typeof LOG_LEVELS)[number];

export interface MonitorRecord {
  time: string;
  kind: MonitorKind;
  level: Level;
  /** The line as printed, without the timestamp. */
  text: string;
  /** The decoded fields (--json). */
  data: Record<string, unknown>;
}

const nullIfNaN = (x: number) => (Number.isFinite(x) ? x : null);

export function recordOfFrame(frame: Frame, now: Date = new Date()): MonitorRecord | null {
  const time = now.toISOString();
  switch (frame.type) {
    case MessageType.TELEMETRY: {
      const t = decodeTelemetryFrame(frame.payload);
      const r = decodeTelemetry(t.record);
      const phase = r.phase === 0 ? '+' : '-';
      const data = {
        tseq: t.tseq,
        step: r.step,
        status: r.statusName,
        phase,
        loss: nullIfNaN(r.loss),
        grad_norm: nullIfNaN(r.gradNorm),
        step_norm: nullIfNaN(r.stepNorm),
        shots_total: r.shotsTotal,
        step_us: t.stepUs,
      };
      const text =
        `TELEMETRY tseq ${t.tseq} step ${r.step} ${r.statusName} phase ${phase} mini-batch loss ${r.loss.toPrecision(6)} ` +
        `|g| ${r.gradNorm.toPrecision(4)} |Δθ| ${r.stepNorm.toPrecision(4)} shots ${r.shotsTotal} (${t.stepUs} µs)`;
      return { time, kind: 'telemetry', level: r.statusName === 'OK' ? 'info' : 'warn', text, data };
    }
    case MessageType.LOG: {
      const l = decodeLog(frame.payload);
      const level: Level = LOG_LEVELS[l.level] ?? 'info';
      const name = LOG_LEVELS[l.level] ?? `level ${l.level}`;
      return { time, kind: 'log', level, text: `LOG ${name}: ${l.text}`, data: { level: name, text: l.text } };
    }
    case MessageType.ERROR: {
      const e = decodeError(frame.payload);
      const code = errorCodeName(e.code);
      return { time, kind: 'error', level: 'error', text: `ERROR ${code}: ${e.text}`, data: { code, text: e.text } };
    }
    case MessageType.DONE: {
      const d = decodeDone(frame.payload);
      const status = doneStatusName(d.status);
      const data = {
        status,
        steps: d.steps,
        shots_total: Number(d.shotsTotal),
        train_loss: nullIfNaN(d.trainLoss),
        test_loss: nullIfNaN(d.testLoss),
        test_accuracy: nullIfNaN(d.testAccuracy),
      };
      const text =
        `DONE ${status} after ${d.steps} steps, shots ${d.shotsTotal}, exact train loss ${formatLoss(data.train_loss)}, ` +
        `test loss ${formatLoss(data.test_loss)}, test accuracy ${formatPercent(data.test_accuracy)}`;
      return { time, kind: 'done', level: 'info', text, data };
    }
    default:
      return null;
  }
}

/** The monitor's own events: connected, link lost, reconnected, reset. */
export function linkRecord(text: string, level: Level = 'info', now: Date = new Date()): MonitorRecord {
  return { time: now.toISOString(), kind: 'link', level, text, data: { text } };
}

export function jsonLine(record: MonitorRecord): string {
  return JSON.stringify({ time: record.time, kind: record.kind, ...record.data });
}

type Style = 'red' | 'yellow' | 'gray' | 'cyan' | 'green' | 'magenta' | 'dim';

/** ANSI SGR codes from Node's own table (util.styleText also judges the stream; here the caller has). */
function styleText(style: Style, text: string): string {
  const [open, close] = inspect.colors[style] ?? [0, 0];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}

function styleOf(record: MonitorRecord): Style | null {
  if (record.level === 'error') return 'red';
  if (record.level === 'warn') return 'yellow';
  if (record.level === 'debug') return 'gray';
  if (record.kind === 'link') return 'cyan';
  if (record.kind === 'done') return 'green';
  if (record.kind === 'telemetry' && record.data.phase === '-') return 'magenta';
  return null;
}

/** "2026-…Z TEXT", the text coloured by kind and severity when `colour`. */
export function textLine(record: MonitorRecord, colour: boolean): string {
  if (!colour) return `${record.time} ${record.text}`;
  const style = styleOf(record);
  return `${styleText('dim', record.time)} ${style ? styleText(style, record.text) : record.text}`;
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function wantsColour(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return Boolean(stream.isTTY) && (typeof stream.hasColors !== 'function' || stream.hasColors());
}
