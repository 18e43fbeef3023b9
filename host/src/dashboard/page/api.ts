// The dashboard server's API, from the page. The command token arrives in the
// URL's fragment (never sent to the server in a URL, so never in a log) and is
// kept for the tab's session.
import type { RunData, RunListing } from '../runs.ts';

const TOKEN_KEY = 'qiot-dashboard-token';

export function takeToken(): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export interface ServerInfo {
  version: string;
  /** WebSocket URL of the broker for the page, or null when the dashboard has none. */
  broker: string | null;
  runs: boolean;
  runsDir?: string;
  commands: boolean;
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { cache: 'no-store' });
  const body = await res.json();
  if (!res.ok) throw new Error(body?.error ?? `${path}: HTTP ${res.status}`);
  return body as T;
}

export const fetchInfo = () => getJson<ServerInfo>('/api/info');
export const fetchRuns = () => getJson<RunListing[]>('/api/runs');
export const fetchRun = (id: string, from = 0) => getJson<RunData>(`/api/run?id=${encodeURIComponent(id)}&from=${from}`);

export async function sendCommand(token: string, command: Record<string, unknown>): Promise<unknown> {
  const res = await fetch('/api/command', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(command),
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body?.error ?? `command failed: HTTP ${res.status}`);
  return body.result;
}
