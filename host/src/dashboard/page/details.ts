// A run's config and summary, as the run log (or the board) gives them.
import { fmt } from './fleet-table.ts';

export interface RunDetails {
  title: string;
  source: string;
  config: unknown;
  summary: Record<string, unknown> | null;
  facts: [string, string][];
}

function dl(pairs: [string, string][]): HTMLDListElement {
  const el = document.createElement('dl');
  for (const [k, v] of pairs) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    el.append(dt, dd);
  }
  return el;
}

function show(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? fmt.int(v) : fmt.loss(v);
  if (v === null || v === undefined) return '—';
  return String(v);
}

export function renderDetails(title: HTMLElement, body: HTMLElement, d: RunDetails | null): void {
  if (!d) {
    title.textContent = '—';
    body.innerHTML = '<p class="empty">Click a board or a run log.</p>';
    return;
  }
  title.textContent = `${d.title} · ${d.source}`;
  const parts: HTMLElement[] = [dl(d.facts)];
  const h = (text: string) => Object.assign(document.createElement('h3'), { textContent: text, className: 'sub' });
  if (d.summary) {
    parts.push(h('Summary'));
    parts.push(
      dl(
        Object.entries(d.summary)
          .filter(([k]) => k !== 'type')
          .map(([k, v]) => [k, show(v)]),
      ),
    );
  } else {
    parts.push(
      Object.assign(document.createElement('p'), {
        className: 'empty',
        textContent: 'No summary yet (running, or the log ended without one).',
      }),
    );
  }
  if (d.config !== undefined && d.config !== null) {
    parts.push(h('Config'));
    parts.push(
      Object.assign(document.createElement('pre'), {
        textContent: JSON.stringify(d.config, (_k, v) => (typeof v === 'bigint' ? Number(v) : v), 2),
      }),
    );
  }
  body.replaceChildren(...parts);
}
