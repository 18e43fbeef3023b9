// `make hil QIOT_TARGET=fleet` (npx tsx hil-tests/fleet-run.ts): the HIL suite on every board a
// gateway publishes on the broker, boards in parallel. The boards are read from the broker's
// retained statuses (workers are not boards and are left out), QIOT_FLEET narrows them, and each
// gets its own vitest process (QIOT_TARGET=fleet QIOT_FLEET_BOARD=<id>), QIOT_HIL_JOBS at a time.
// Output lines carry the board id; JUnit goes to build/hil/junit-fleet-<id>.xml.
// Exit: 0 every board passed, 1 a board's suite failed, 2 a bad QIOT_FLEET / QIOT_HIL_JOBS,
// 3 the broker cannot be reached or has no matching board online.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { boardReporting } from '../host/src/boards/registry.ts';
import { redact } from '../host/src/fleet/broker.ts';
import { FleetClient } from '../host/src/fleet/client.ts';
import type { OnlineStatus, Status } from '../host/src/fleet/messages.ts';
import { hilBrokerSettings } from './fleet-session.ts';
import { FLEET_HIL } from './limits.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VITEST = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');

export class FleetRunError extends Error {
  constructor(
    message: string,
    readonly exitCode: 2 | 3,
  ) {
    super(message);
  }
}

const boardName = (s: OnlineStatus) => (s.target.kind === 'board' ? s.target.board : 'worker');
/** A board's name in the registry (rv32 for rv32-qemu-virt), else the name its INFO reports. */
const registryName = (s: OnlineStatus) => boardReporting(boardName(s))?.name ?? boardName(s);

/**
 * The boards to test: every online board, or those QIOT_FLEET names — a comma list of board ids,
 * board names (posix, rv32 …: every board of that name) and tag:<tag>. An item matching nothing known is an error.
 */
export function selectBoards(statuses: readonly Status[], filter: string | undefined): OnlineStatus[] {
  const boards = statuses.filter((s): s is OnlineStatus => s.state === 'online' && s.kind === 'board');
  const items = (filter ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  if (items.length === 0) return boards;
  const chosen = new Set<OnlineStatus>();
  for (const item of items) {
    const offline = statuses.find((s) => s.id === item && s.state === 'offline');
    if (offline?.state === 'offline') throw new FleetRunError(`QIOT_FLEET: board ${item} is offline (${offline.reason})`, 3);
    const tag = item.startsWith('tag:') ? item.slice(4) : null;
    const matches = boards.filter((s) =>
      tag !== null ? s.tags.includes(tag) : s.id === item || boardName(s) === item || registryName(s) === item,
    );
    if (matches.length === 0) {
      const known = boards.map((s) => `${s.id} (${registryName(s)})`).join(', ') || 'none';
      throw new FleetRunError(`QIOT_FLEET: '${item}' matches no online board (ids, board names or tag:<tag>); online boards: ${known}`, 2);
    }
    for (const s of matches) chosen.add(s);
  }
  return [...chosen];
}

export function jobsFromEnv(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return FLEET_HIL.jobs;
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) throw new FleetRunError(`QIOT_HIL_JOBS=${text}: expected a whole number ≥ 1`, 2);
  return Number(text);
}

/** One board's suite: a vitest process whose output lines are prefixed with the board id. */
function runSuite(board: OnlineStatus, width: number): Promise<number> {
  const child = spawn(process.execPath, [VITEST, 'run', '--config', 'hil-tests/vitest.config.ts'], {
    cwd: ROOT,
    env: { ...process.env, QIOT_TARGET: 'fleet', QIOT_FLEET_BOARD: board.id, QIOT_FLEET_BOARD_KIND: boardName(board) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${board.id.padEnd(width)}] `;
  for (const [stream, out] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const) {
    createInterface({ input: stream }).on('line', (line) => out.write(`${prefix}${line}\n`));
  }
  return new Promise((resolve) => {
    child.on('error', (err) => {
      process.stderr.write(`${prefix}cannot start vitest: ${err.message}\n`);
      resolve(1);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Runs every board's suite, at most `jobs` at once; the exit code of each. */
export async function runBoards(boards: readonly OnlineStatus[], jobs: number): Promise<number[]> {
  const width = Math.max(...boards.map((b) => b.id.length));
  const codes = new Array<number>(boards.length);
  let next = 0;
  const worker = async () => {
    while (next < boards.length) {
      const i = next++;
      codes[i] = await runSuite(boards[i], width);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, boards.length) }, worker));
  return codes;
}

async function main(): Promise<number> {
  const jobs = jobsFromEnv(process.env.QIOT_HIL_JOBS);
  let settings: ReturnType<typeof hilBrokerSettings>;
  try {
    settings = hilBrokerSettings();
  } catch (err) {
    throw new FleetRunError(`fleet HIL: ${(err as Error).message}`, 2); // a malformed URL or broker config file
  }
  let statuses: Status[];
  try {
    const client = await FleetClient.connect(settings, 'hil');
    try {
      statuses = await client.discover(FLEET_HIL.discoverMs);
    } finally {
      await client.close();
    }
  } catch (err) {
    throw new FleetRunError(`fleet HIL: ${(err as Error).message}`, 3);
  }
  const boards = selectBoards(statuses, process.env.QIOT_FLEET);
  if (boards.length === 0)
    throw new FleetRunError(
      `fleet HIL: no qiot board online on ${redact(settings.url)} (start one: qiot gateway --broker ${redact(settings.url)} --board posix:2)`,
      3,
    );
  process.stdout.write(
    `fleet HIL on ${redact(settings.url)}: ${boards.map((b) => `${b.id} (${registryName(b)})`).join(', ')}; ${Math.min(jobs, boards.length)} at a time\n`,
  );
  const codes = await runBoards(boards, jobs);
  process.stdout.write('fleet HIL summary:\n');
  boards.forEach((b, i) => {
    process.stdout.write(
      `  ${b.id} (${registryName(b)}): ${codes[i] === 0 ? 'passed' : `FAILED (exit ${codes[i]})`}, build/hil/junit-fleet-${b.id}.xml\n`,
    );
  });
  return codes.every((c) => c === 0) ? 0 : 1;
}

const USAGE = `usage: QIOT_TARGET=fleet make hil   (or: npx tsx hil-tests/fleet-run.ts)
The HIL suite on every board a gateway publishes on the broker, boards in parallel.
  QIOT_BROKER, QIOT_BROKER_CONFIG, QIOT_BROKER_USERNAME/PASSWORD   the broker (as for qiot fleet; default: the embedded broker's address)
  QIOT_FLEET=ids,board names,tag:T   only these boards (default: every online board)
  QIOT_HIL_JOBS=N                    boards at once (default ${FLEET_HIL.jobs})
Exit codes: 0 every board passed, 1 a board's suite failed, 2 bad QIOT_FLEET / QIOT_HIL_JOBS, 3 broker unreachable or no matching board online.
`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.slice(2).some((a) => a === '--help' || a === '-h')) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (process.argv.length > 2) {
    process.stderr.write(`unexpected arguments: ${process.argv.slice(2).join(' ')}\n${USAGE}`);
    process.exit(2);
  }
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(err instanceof FleetRunError ? err.exitCode : 1);
    },
  );
}
