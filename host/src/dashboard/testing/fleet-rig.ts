// A real fleet for the dashboard's browser tests: the embedded broker (aedes,
// with its WebSocket listener), an emulated posix board flashed with the real
// module behind a fleet executor, and the dashboard server with its own broker
// link — the same pieces `qiot gateway` and `qiot dashboard` put together.
import { randomUUID } from 'node:crypto';
import { DeviceClient } from '../../device/client.ts';
import { launchPosixBoard, type PosixBoard } from '../../boards/posix.ts';
import { readModule } from '../../../testing/harness.ts';
import { BoardBackend } from '../../fleet/backends.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../fleet/broker.ts';
import { FleetClient } from '../../fleet/client.ts';
import { Executor } from '../../fleet/executor.ts';
import { BrokerLink } from '../broker-link.ts';
import { fleetCommands } from '../commands.ts';
import { startDashboard, type Dashboard } from '../server.ts';
import { freshAssets } from './browser.ts';

export interface FleetRig {
  broker: EmbeddedBroker;
  board: PosixBoard;
  boardId: string;
  executor: Executor;
  link: BrokerLink;
  dash: Dashboard;
  /** The page URL with the command token. */
  pageUrl: string;
  /** Stops the broker; startBroker starts it again on the same ports (clients reconnect). */
  stopBroker(): Promise<void>;
  startBroker(): Promise<void>;
  close(): Promise<void>;
}

export interface DashboardOnBroker {
  link: BrokerLink;
  dash: Dashboard;
  /** The page URL with the command token. */
  pageUrl: string;
  close(): Promise<void>;
}

/** The dashboard server (fresh page bundle, its own broker link) on a running broker. */
export async function startDashboardOn(broker: EmbeddedBroker, runsDir: string | null = null): Promise<DashboardOnBroker> {
  const link = await BrokerLink.attach(await FleetClient.connect({ url: broker.url }, 'dashboard'));
  try {
    const dash = await startDashboard({
      assets: await freshAssets(),
      runsDir,
      info: { version: 'test', broker: broker.wsUrl, runsDir },
      commands: fleetCommands(link),
      backfill: (id) => link.backfill(id),
      signature: (id) => link.signature(id),
      port: 0,
    });
    return {
      link,
      dash,
      pageUrl: `${dash.url}#token=${dash.token}`,
      close: async () => {
        await dash.close();
        await link.close();
      },
    };
  } catch (err) {
    await link.close();
    throw err;
  }
}

export async function startFleetRig(opts: { runsDir?: string } = {}): Promise<FleetRig> {
  const undo: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const u of undo.reverse()) await u().catch(() => undefined);
  };
  try {
    let broker = await startEmbeddedBroker(0, 0);
    undo.push(() => broker.close());
    const board = await launchPosixBoard();
    undo.push(() => board.stop());
    const flasher = await DeviceClient.open(board.port);
    await flasher.upload(readModule());
    await flasher.close();
    const client = await DeviceClient.open(board.port);
    undo.push(() => client.close());
    const boardId = `test-posix-${randomUUID().slice(0, 6)}`;
    const executor = await Executor.start({ url: broker.url }, new BoardBackend(client), { id: boardId });
    undo.push(() => executor.close());
    const { link, dash, pageUrl, close: closeDash } = await startDashboardOn(broker, opts.runsDir ?? null);
    undo.push(closeDash);
    const ports = { tcp: Number(new URL(broker.url).port), ws: Number(new URL(broker.wsUrl).port) };
    const rig: FleetRig = {
      broker,
      board,
      boardId,
      executor,
      link,
      dash,
      pageUrl,
      stopBroker: () => broker.close(),
      async startBroker() {
        broker = await startEmbeddedBroker(ports.tcp, ports.ws);
        rig.broker = broker;
      },
      close,
    };
    return rig;
  } catch (err) {
    await close();
    throw err;
  }
}
