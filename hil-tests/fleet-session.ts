// A fleet target's session: this host's connection to the broker (QIOT_BROKER, QIOT_BROKER_CONFIG …
// as for `qiot fleet`; the embedded broker's address when none is set) and the board, as a
// FleetDevice (host/src/fleet/fleet-device.ts). It follows only this board's telemetry.
import { brokerSettings, redact, type BrokerSettings } from '../host/src/fleet/broker.ts';
import { FleetClient } from '../host/src/fleet/client.ts';
import { FleetDevice } from '../host/src/fleet/fleet-device.ts';
import { readKeyFileSync } from '../host/src/security/keys.ts';
import { FLEET } from '../host/src/fleet/limits.ts';
import { topics } from '../host/src/fleet/topics.ts';
import { FLEET_HIL } from './limits.ts';

/** The broker of the fleet commands (docs/fleet.md): configured, else the embedded broker's address on this host. */
export function hilBrokerSettings(env: NodeJS.ProcessEnv = process.env): BrokerSettings {
  return brokerSettings({}, env) ?? { url: `mqtt://127.0.0.1:${env.QIOT_EMBEDDED_PORT ?? FLEET.embeddedPort}` };
}

export interface FleetSession {
  device: FleetDevice;
  /** MQTT 5: the broker sends one message at a time (persistent sessions), so departures are taken with records outstanding. */
  mqtt5: boolean;
  /** Persistent sessions only: disconnects from the broker for `ms`, then reconnects to the same session. */
  leave(ms: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Connects, waits up to `timeoutMs` for the board's retained status to say online, and asks for its INFO.
 * persistent: the broker keeps the session's telemetry and replies while this host is away (leave()),
 * for at most FLEET_HIL.sessionExpiryS after a crash (MQTT 5; close() removes it at once).
 */
export async function connectFleet(id: string, timeoutMs: number, opts: { persistent?: boolean } = {}): Promise<FleetSession> {
  const settings = hilBrokerSettings();
  // Receive Maximum 1 (MQTT 5): a message in hand is the only one the broker has sent, so leave() always
  // leaves the rest of the run at the broker, however fast the board produced it.
  const client = await FleetClient.connect(
    settings,
    'hil',
    opts.persistent ? { persistent: true, sessionExpiryS: FLEET_HIL.sessionExpiryS, receiveMaximum: 1 } : {},
  );
  try {
    await client.mqtt.subscribeAsync(topics.telemetry(id), { qos: FLEET.qos });
    const deadline = Date.now() + timeoutMs;
    while (client.statuses.get(id)?.state !== 'online' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const status = client.statuses.get(id);
    if (status?.state !== 'online') {
      const why = status ? `offline (${status.reason})` : 'not known to it (no retained status)';
      throw new Error(`board ${id} on ${redact(settings.url)} is ${why}`);
    }
    // $QIOT_KEY (a key file, as for `qiot fleet --key`): the owner key of provisioned boards; the key stays here.
    const keyFile = process.env.QIOT_KEY;
    const device = await FleetDevice.open(client, id, keyFile ? { key: readKeyFileSync(keyFile) } : {});
    const leave = async (ms: number) => {
      if (!opts.persistent) throw new Error('leave() needs a persistent session: the broker would drop what arrives meanwhile');
      await client.mqtt.endAsync(true);
      await new Promise((r) => setTimeout(r, ms));
      const back = new Promise((r) => client.mqtt.once('connect', r));
      client.mqtt.reconnect();
      await back;
    };
    return { device, mqtt5: client.mqtt5, leave, close: () => client.close() };
  } catch (err) {
    await client.close().catch(() => undefined);
    throw err;
  }
}
