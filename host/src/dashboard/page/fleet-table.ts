// The fleet table: one row per board, updated in place (rows are kept by board
// id, cells are only written when their text changes) so 64 boards at 10 steps/s
// cost a few DOM writes per frame.
import { PAGE } from '../limits.ts';

export interface BoardView {
  id: string;
  target: string;
  /** sha256 of the module the board runs (hex), or null when none is known. */
  module: string | null;
  /** From the board's INFO: `verified`, `NOT verified`, `unsigned (open board)`, `n/a (worker)`…; null until known. */
  signature: string | null;
  state: string;
  step: number | null;
  loss: number | null;
  shotsUsed: number | null;
  shotsBudget: number | null;
  stepsPerS: number | null;
  /** Date.now() of the last message from the board. */
  lastSeen: number;
  training: boolean;
}

const COLS = ['id', 'target', 'module', 'state', 'step', 'loss', 'shots', 'rate', 'seen', 'action'] as const;

const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }); // one formatter: toLocaleString builds one per call

export const fmt = {
  loss: (v: number | null) =>
    v === null || !Number.isFinite(v) ? '—' : Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : v.toFixed(4),
  int: (v: number | null) => (v === null ? '—' : INT.format(v)),
  ago(ms: number, now: number): string {
    const s = Math.max(0, Math.round((now - ms) / 1000));
    return s < 2 ? 'now' : s < 120 ? `${s} s ago` : `${Math.round(s / 60)} min ago`;
  },
};

function signatureClass(sig: string | null): string {
  if (sig === null) return 'sig-none';
  if (sig === 'verified') return 'sig-ok';
  return sig.startsWith('NOT') ? 'sig-bad' : 'sig-none';
}

export interface FleetHandlers {
  select(id: string): void;
  stop(id: string): void;
}

export class FleetTable {
  private readonly rows = new Map<
    string,
    { tr: HTMLTableRowElement; cells: Record<(typeof COLS)[number], HTMLTableCellElement>; stop: HTMLButtonElement }
  >();

  constructor(
    private readonly body: HTMLTableSectionElement,
    private readonly empty: HTMLElement,
    private readonly count: HTMLElement,
    private readonly handlers: FleetHandlers,
  ) {}

  private row(id: string) {
    let row = this.rows.get(id);
    if (row) return row;
    const tr = document.createElement('tr');
    tr.dataset.board = id;
    const cells = {} as Record<(typeof COLS)[number], HTMLTableCellElement>;
    for (const c of COLS) {
      const td = document.createElement('td');
      if (c === 'step' || c === 'loss' || c === 'shots' || c === 'rate') td.className = 'num';
      td.dataset.col = c;
      tr.append(td);
      cells[c] = td;
    }
    const stop = document.createElement('button');
    stop.type = 'button';
    stop.className = 'stop';
    stop.textContent = 'Stop';
    stop.addEventListener('click', (e) => {
      e.stopPropagation();
      this.handlers.stop(id);
    });
    cells.action.append(stop);
    tr.addEventListener('click', () => this.handlers.select(id));
    // Keep rows sorted by board id.
    const after = [...this.rows.keys()].filter((k) => k > id).sort()[0];
    this.body.insertBefore(tr, after ? this.rows.get(after)!.tr : null);
    row = { tr, cells, stop };
    this.rows.set(id, row);
    return row;
  }

  render(boards: Iterable<BoardView>, selected: ReadonlySet<string>, canCommand: boolean, now = Date.now()): void {
    let n = 0;
    for (const b of boards) {
      n++;
      const { tr, cells, stop } = this.row(b.id);
      const set = (td: HTMLTableCellElement, text: string) => {
        if (td.textContent !== text) td.textContent = text;
      };
      set(cells.id, b.id);
      set(cells.target, b.target);
      const sigText = b.module
        ? `${b.module.slice(0, 10)}…${b.signature === 'verified' ? ' ✓ signed' : b.signature?.startsWith('NOT') ? ' ✗ NOT verified' : ''}`
        : '—';
      const sigTitle = b.module ? `sha256 ${b.module}${b.signature ? ` · signature: ${b.signature}` : ''}` : '';
      const span0 = cells.module.firstChild as HTMLElement | null;
      if (span0?.textContent !== sigText || span0?.title !== sigTitle) {
        const span = document.createElement('span');
        span.className = signatureClass(b.signature);
        span.title = sigTitle;
        span.textContent = sigText;
        cells.module.replaceChildren(span);
      }
      if (cells.state.dataset.state !== b.state) {
        cells.state.dataset.state = b.state;
        cells.state.className = 'state';
        cells.state.textContent = b.state;
      }
      set(cells.step, fmt.int(b.step));
      set(cells.loss, fmt.loss(b.loss));
      set(cells.shots, b.shotsUsed === null ? '—' : `${fmt.int(b.shotsUsed)} / ${b.shotsBudget ? fmt.int(b.shotsBudget) : '∞'}`);
      set(cells.rate, b.stepsPerS === null ? '—' : b.stepsPerS.toFixed(1));
      set(cells.seen, fmt.ago(b.lastSeen, now));
      tr.classList.toggle('selected', selected.has(b.id));
      tr.classList.toggle('stale', now - b.lastSeen > PAGE.staleAfterMs && b.state !== 'offline');
      stop.disabled = !(canCommand && b.training);
      stop.title = canCommand ? 'stop this board’s run' : 'open the URL with the token printed by `qiot dashboard` to send commands';
    }
    this.empty.hidden = n > 0;
    this.count.textContent = n ? `${n} online or known` : '';
  }
}
