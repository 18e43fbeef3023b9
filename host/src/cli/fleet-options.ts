// Options and error mapping shared by the fleet commands (gateway, worker, fleet,
// sweep): the broker (--broker, --broker-config, environment; embedded when none)
// and the exit code of each fleet error (docs/fleet.md).
import { hostname } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { brokerSettings, embeddedOrJoin, type BrokerSettings, type EmbeddedBroker } from '../fleet/broker.ts';
import { RemoteError } from '../fleet/client.ts';
import { CliError, EXIT } from './exit-codes.ts';

export interface BrokerOptionValues {
  broker?: string;
  brokerConfig?: string;
}

export function addBrokerOptions(cmd: Command): Command {
  return cmd
    .option('--broker <url>', 'MQTT broker, mqtt(s)://host:port (default: $QIOT_BROKER, else the embedded broker on 127.0.0.1)')
    .option(
      '--broker-config <file>',
      'JSON {url, username, password, ca, cert, key} (default: $QIOT_BROKER_CONFIG); credentials also from $QIOT_BROKER_USERNAME / $QIOT_BROKER_PASSWORD',
    );
}

export const BROKER_HELP = `
Broker: --broker mqtt://host:1883 or mqtts://host:8883 (TLS; CA from the broker config file or $QIOT_BROKER_CA).
Without a broker, the embedded one on 127.0.0.1:$QIOT_EMBEDDED_PORT (default 18830) is joined, or started
in this process (WebSocket listener on $QIOT_EMBEDDED_WS_PORT, default 18831). docs/fleet.md.`;

/** The broker to talk to; starts the embedded one when none is configured and none runs yet. */
export async function openBroker(opts: BrokerOptionValues): Promise<{ settings: BrokerSettings; embedded: EmbeddedBroker | null }> {
  const settings = brokerSettings(opts);
  if (settings) return { settings, embedded: null };
  const { settings: local, broker } = await embeddedOrJoin();
  if (broker) process.stderr.write(`qiot: started the embedded MQTT broker on ${broker.url} (WebSocket ${broker.wsUrl})\n`);
  else
    process.stderr.write(
      `qiot: joined the MQTT broker already listening on ${local.url} (another qiot process's embedded broker; set QIOT_EMBEDDED_PORT or --broker if that port belongs to something else)\n`,
    );
  return { settings: local, embedded: broker };
}

export function parsePositiveInt(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new InvalidArgumentError(`expected a whole number ≥ 1, got '${value}'`);
  return Number(value);
}

export function defaultIdPrefix(): string {
  return (
    hostname()
      .replace(/[^A-Za-z0-9._:-]/g, '-')
      .replace(/^[._:-]+/, '') || 'host'
  );
}

const REMOTE_EXIT: Record<RemoteError['kind'], number> = {
  invalid: EXIT.usage,
  unknown_op: EXIT.usage,
  config_rejected: EXIT.usage,
  no_module: EXIT.usage,
  busy: EXIT.failed,
  board: EXIT.failed,
  restarted: EXIT.failed,
  failed: EXIT.failed,
  unreachable: EXIT.device,
};

/** Runs a fleet command's body; a command's error on an executor gets the exit code of its kind (docs/fleet.md). */
export async function fleetAction<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    // Every other fleet error is a QiotError whose kind cli/exit-codes.ts maps.
    if (err instanceof RemoteError) throw new CliError(err.message, REMOTE_EXIT[err.kind]);
    throw err;
  }
}

/** Resolves on the first SIGINT/SIGTERM (long-running gateway/worker). */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (s: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(s);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
