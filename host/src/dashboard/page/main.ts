// The dashboard page: the fleet (live, over MQTT-over-WebSocket), run logs
// (from the dashboard server), charts of any selection of both, a sweep's
// runs by optimizer, one run's config and summary, and stop/start commands.
import './jitless.ts';
import './style.css';
import { PAGE } from '../limits.ts';
import { fetchInfo, fetchRun, fetchRuns, sendCommand, takeToken, type ServerInfo } from './api.ts';
import { RunChart, SweepChart, type RunLine } from './charts.ts';
import { renderDetails, type RunDetails } from './details.ts';
import { FleetTable, fmt } from './fleet-table.ts';
import { connectLive, type LiveBoard } from './live.ts';
import { RunSeries } from './series.ts';
import type { RunData, RunListing } from '../runs.ts';

interface RunEntry {
  key: string;
  label: string;
  series: RunSeries;
  optimizer: string | null;
  details: () => RunDetails;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const token = takeToken();
const runs = new Map<string, RunEntry>();
const boards = new Map<string, LiveBoard>();
const selected: string[] = [];
let focus: string | null = null;
let info: ServerInfo | null = null;
let listing: RunListing[] = [];
let dirty = true;

const charts = [
  new RunChart($('chart-loss'), 'loss', 'loss', true),
  new RunChart($('chart-grad'), 'gradNorm', '‖g‖', false),
  new RunChart($('chart-shots'), 'shotsTotal', 'shots', false),
];
const sweepChart = new SweepChart($('chart-sweep'));
const fleet = new FleetTable($('fleet-table').querySelector('tbody')!, $('fleet-empty'), $('fleet-count'), {
  select: (id) => toggle(`board:${id}`),
  stop: (id) => void command({ op: 'stop', board: id }),
});

function banner(text: string | null): void {
  const el = $('banner');
  el.hidden = text === null;
  el.textContent = text ?? '';
}

async function command(cmd: Record<string, unknown>): Promise<void> {
  if (!token) return banner('Commands need the token: open the URL that `qiot dashboard` printed.');
  try {
    await sendCommand(token, cmd);
  } catch (err) {
    banner(`Command failed: ${(err as Error).message}`);
    setTimeout(() => banner(null), 5000);
  }
}

function toggle(key: string): void {
  const i = selected.indexOf(key);
  if (i >= 0 && focus === key) selected.splice(i, 1);
  else if (i < 0) selected.push(key);
  focus = selected.includes(key) ? key : (selected.at(-1) ?? null);
  if (key.startsWith('log:')) void loadLog(key.slice(4));
  dirty = true;
}

// ---- run logs --------------------------------------------------------------

function addLogData(entry: RunEntry, data: RunData): void {
  for (let i = 0; i < data.step.length; i++) {
    entry.series.add({
      step: data.step[i],
      loss: data.loss[i],
      trialLoss: data.trialLoss[i],
      gradNorm: data.gradNorm[i],
      shotsTotal: data.shotsTotal[i],
      negative: data.negative[i] === 1,
    });
  }
}

const loading = new Map<string, Promise<RunEntry>>();

/** Loads a run log once, then follows it while it has no summary (a run still being written). */
function loadLog(id: string): Promise<RunEntry> {
  const key = `log:${id}`;
  const known = loading.get(key);
  if (known) return known;
  const p = (async () => {
    const first = await fetchRun(id);
    let data = first;
    const entry: RunEntry = {
      key,
      label: id.replace(/\.jsonl$/, ''),
      series: new RunSeries(),
      optimizer: optimizerOf(first.header.config),
      details: () => ({
        title: id,
        source: data.summary ? 'run log' : 'run log (being written)',
        config: first.header.config,
        summary: data.summary as Record<string, unknown> | null,
        facts: [
          [
            'target',
            first.header.target.kind === 'board'
              ? `${first.header.target.board} (${first.header.target.port ?? 'board'})`
              : 'node (qiot sim)',
          ],
          ['module', first.header.module_sha256],
          ['started', first.header.started_at],
          ['steps', fmt.int(entry.series.size)],
          ['dataset', first.header.dataset ?? '—'],
        ],
      }),
    };
    addLogData(entry, first);
    runs.set(key, entry);
    dirty = true;
    let from = first.total;
    while (!data.summary) {
      await new Promise((r) => setTimeout(r, PAGE.runLogPollMs));
      try {
        data = await fetchRun(id, from);
      } catch {
        continue;
      }
      addLogData(entry, data);
      from = data.total;
      dirty = true;
    }
    return entry;
  })();
  loading.set(key, p);
  p.catch(() => loading.delete(key));
  return p;
}

function optimizerOf(config: unknown): string | null {
  const opt = (config as { optimizer?: { name?: string; nlr?: { mode?: string } } } | null)?.optimizer;
  if (!opt?.name) return null;
  return opt.name === 'nlr' && opt.nlr?.mode ? `nlr-${opt.nlr.mode}` : opt.name;
}

function renderRunList(): void {
  const list = $('runs-list');
  const items = listing.map((r) => {
    const li = document.createElement('li');
    li.dataset.run = r.id;
    li.classList.toggle('selected', selected.includes(`log:${r.id}`));
    const badge = Object.assign(document.createElement('span'), { className: 'badge', textContent: r.status });
    badge.dataset.status = r.status;
    const name = Object.assign(document.createElement('span'), { className: 'name', textContent: r.id, title: r.error ?? r.id });
    const meta = Object.assign(document.createElement('span'), {
      className: 'meta',
      textContent: [
        r.optimizer,
        r.seed !== null ? `seed ${r.seed}` : null,
        r.steps !== null ? `${r.steps} steps` : null,
        r.finalLoss !== null ? `loss ${fmt.loss(r.finalLoss)}` : null,
      ]
        .filter(Boolean)
        .join(' · '),
    });
    li.append(badge, name, meta);
    li.addEventListener('click', () => {
      if (r.status !== 'unreadable') toggle(`log:${r.id}`);
    });
    return li;
  });
  if (items.length === 0) {
    list.replaceChildren(
      Object.assign(document.createElement('li'), {
        className: 'empty',
        textContent: info?.runs ? 'No run logs yet.' : 'Start with --runs DIR to list run logs.',
      }),
    );
  } else list.replaceChildren(...items);
  renderSweepSources();
}

const autoSelected = new Set<string>();

async function refreshRuns(): Promise<void> {
  try {
    listing = await fetchRuns();
    // Nothing chosen yet: follow the newest run log being written (e.g. `make demo`).
    const live = listing.find((r) => r.status === 'live');
    if (live && selected.length === 0 && !autoSelected.has(live.id)) {
      autoSelected.add(live.id);
      toggle(`log:${live.id}`);
    }
    renderRunList();
  } catch {
    /* the server is gone: the broker banner or a reload tells */
  }
}

// ---- sweep -----------------------------------------------------------------

function folderOf(id: string): string {
  const i = id.lastIndexOf('/');
  return i < 0 ? '.' : id.slice(0, i);
}

function renderSweepSources(): void {
  const sel = $<HTMLSelectElement>('sweep-source');
  const folders = new Map<string, number>();
  for (const r of listing) folders.set(folderOf(r.id), (folders.get(folderOf(r.id)) ?? 0) + 1);
  const options = [
    ['selected', 'selected runs'],
    ...[...folders].filter(([, n]) => n >= 2).map(([f, n]) => [`dir:${f}`, `${f === '.' ? 'runs folder' : f}/ (${n} runs)`]),
  ];
  const current = sel.value || 'selected';
  if (sel.options.length !== options.length || [...sel.options].some((o, i) => o.value !== options[i][0])) {
    sel.replaceChildren(...options.map(([v, t]) => Object.assign(document.createElement('option'), { value: v, textContent: t })));
    sel.value = options.some(([v]) => v === current) ? current : 'selected';
  }
}

async function sweepEntries(): Promise<RunEntry[]> {
  const source = $<HTMLSelectElement>('sweep-source').value || 'selected';
  if (source === 'selected') return selected.map((k) => runs.get(k)).filter((e): e is RunEntry => !!e);
  const dir = source.slice(4);
  const ids = listing.filter((r) => folderOf(r.id) === dir && r.status !== 'unreadable').map((r) => r.id);
  const out = await Promise.allSettled(ids.map(loadLog));
  return out.filter((o): o is PromiseFulfilledResult<RunEntry> => o.status === 'fulfilled').map((o) => o.value);
}

let sweepGeneration = 0;
async function drawSweep(): Promise<void> {
  const generation = ++sweepGeneration;
  const entries = await sweepEntries();
  if (generation !== sweepGeneration) return;
  const groups = new Map<string, RunSeries[]>();
  for (const e of entries) {
    const g = e.optimizer ?? 'unknown';
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push(e.series);
  }
  sweepChart.update(groups);
  $('sweep-note').textContent = entries.length
    ? `${entries.length} runs · median and 25–75 % band of the loss per step`
    : 'select runs or pick a folder of run logs';
}

// ---- live boards -----------------------------------------------------------

function boardEntry(b: LiveBoard): RunEntry {
  const key = `board:${b.view.id}`;
  let entry = runs.get(key);
  if (!entry || entry.series !== b.series) {
    entry = {
      key,
      label: b.view.id,
      series: b.series,
      optimizer: b.run?.optimizer ?? null,
      details: () => ({
        title: b.view.id,
        source: `live (${b.view.state})`,
        config: b.run ? { optimizer: b.run.optimizer, steps: b.run.steps, tag: b.run.tag, abi_config: b.run.abi } : null,
        summary: b.summary,
        facts: [
          ['target', b.view.target],
          ['module', b.view.module ?? '—'],
          ['signature', b.view.signature ?? '—'],
          ['step', fmt.int(b.view.step)],
          [
            'shots',
            b.view.shotsUsed === null ? '—' : `${fmt.int(b.view.shotsUsed)} / ${b.view.shotsBudget ? fmt.int(b.view.shotsBudget) : '∞'}`,
          ],
        ],
      }),
    };
    runs.set(key, entry);
  }
  return entry;
}

// ---- drawing ---------------------------------------------------------------

let lastVersions = '';
function redraw(): void {
  for (const b of boards.values()) boardEntry(b);
  const versions = selected.map((k) => `${k}:${runs.get(k)?.series.lastStep ?? -1}:${runs.get(k)?.series.version ?? -1}`).join(',');
  fleet.render(
    [...boards.values()].map((b) => b.view),
    new Set(selected.filter((k) => k.startsWith('board:')).map((k) => k.slice(6))),
    token !== null && info?.commands === true,
  );
  if (!dirty && versions === lastVersions) return;
  lastVersions = versions;
  dirty = false;
  const lines: RunLine[] = selected
    .map((k) => runs.get(k))
    .filter((e): e is RunEntry => !!e)
    .map((e) => ({ label: e.label, series: e.series }));
  for (const c of charts) c.update(lines);
  $('chart-legend').textContent = lines.length ? `${lines.length} selected` : 'select boards or run logs to plot them together';
  for (const li of document.querySelectorAll<HTMLLIElement>('#runs-list li[data-run]'))
    li.classList.toggle('selected', selected.includes(`log:${li.dataset.run}`));
  renderDetails($('details-title'), $('details-body'), focus ? (runs.get(focus)?.details() ?? null) : null);
  void drawSweep();
}

// ---- start dialog ----------------------------------------------------------

function setUpStartDialog(): void {
  const dialog = $<HTMLDialogElement>('start-dialog');
  const open = $<HTMLButtonElement>('start-open');
  open.disabled = !(token && info?.commands);
  open.title = open.disabled ? 'needs a broker and the token printed by `qiot dashboard`' : '';
  open.addEventListener('click', () => {
    const sel = $<HTMLSelectElement>('start-board');
    sel.replaceChildren(
      ...[...boards.values()]
        .filter((b) => !b.view.training && b.view.state !== 'offline')
        .map((b) => Object.assign(document.createElement('option'), { value: b.view.id, textContent: `${b.view.id} (${b.view.target})` })),
    );
    const focused = focus?.startsWith('log:') ? runs.get(focus)?.details().config : null;
    const area = $<HTMLTextAreaElement>('start-config');
    if (!area.value && focused) area.value = JSON.stringify(focused, null, 2);
    $('start-error').textContent = '';
    dialog.showModal();
  });
  $('start-submit').addEventListener('click', async (e) => {
    e.preventDefault();
    let config: unknown;
    try {
      config = JSON.parse($<HTMLTextAreaElement>('start-config').value);
    } catch (err) {
      $('start-error').textContent = `Not JSON: ${(err as Error).message}`;
      return;
    }
    const board = $<HTMLSelectElement>('start-board').value;
    if (!board) {
      $('start-error').textContent = 'No idle board to start on.';
      return;
    }
    try {
      await sendCommand(token!, { op: 'train', board, config });
      dialog.close();
    } catch (err) {
      $('start-error').textContent = (err as Error).message;
    }
  });
}

// ---- start-up --------------------------------------------------------------

async function main(): Promise<void> {
  info = await fetchInfo();
  const tokenPill = $('token-state');
  tokenPill.dataset.state = token ? 'token' : 'none';
  tokenPill.textContent = token ? 'commands enabled' : 'read-only';
  $('runs-dir').textContent = info.runsDir ?? '';
  setUpStartDialog();
  $<HTMLSelectElement>('sweep-source').addEventListener('change', () => {
    dirty = true;
  });
  await refreshRuns();
  setInterval(refreshRuns, 5 * PAGE.runLogPollMs);
  const pill = $('broker-state');
  if (info.broker) {
    connectLive(info.broker, boards, {
      connection(state, detail) {
        pill.dataset.state = state;
        pill.textContent = `broker: ${state}`;
        banner(state === 'lost' ? `Broker connection lost${detail ? ` (${detail})` : ''} — reconnecting…` : null);
        document.body.dataset.broker = state;
      },
      changed(structural) {
        if (structural) dirty = true;
      },
      problem(text) {
        console.warn(`dashboard: undecodable message ${text}`);
      },
    });
  } else {
    pill.dataset.state = 'none';
    pill.textContent = 'no broker';
  }
  setInterval(redraw, PAGE.redrawIntervalMs);
  redraw();
  document.body.dataset.ready = 'true';
}

main().catch((err) => banner(`The dashboard could not start: ${(err as Error).message}`));
