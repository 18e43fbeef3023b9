// Lossless telemetry (docs/protocol.md, TELEMETRY_ACK): the host leaves 8 times for 0.05–3 s
// during one run; the board pauses when its ring holds only records the host has not
// acknowledged, and after each reconnect the host fetches what it missed (replays) and
// acknowledges it. Every record arrives exactly once, equal to Node's, and the board reports
// none dropped. A board behind a gateway keeps its serial link; there this host leaves the
// broker instead (its persistent session keeps the records, docs/fleet.md), with the same
// departures and the same checks, by the fleet's telemetry sequence.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TrainingEnd } from '../host/src/device/training.ts';
import { DoneStatus } from '../host/src/protocol/constants.ts';
import type { TelemetryMessage } from '../host/src/protocol/payloads.generated.ts';
import { HilBoard } from './board.ts';
import { describeIf, describeNeeding } from './capabilities.ts';
import { SAMPLED, withChanges } from './configs.ts';
import { LOSSLESS } from './limits.ts';
import { encodeRun, hex, nodeRun, readModule } from './reference.ts';
import { TARGET } from './target.ts';

describeNeeding(['linkDrop'], `lossless telemetry across host disconnects (${TARGET.name})`, () => {
  let board: HilBoard;
  beforeAll(async () => {
    board = await HilBoard.start();
    expect((await board.upload(readModule())).committed).toBe(true);
  });
  afterAll(() => board?.close());

  it(`${LOSSLESS.awayMs.length} disconnects of ${Math.min(...LOSSLESS.awayMs) / 1000}–${Math.max(...LOSSLESS.awayMs) / 1000} s lose no record`, async () => {
    const steps = LOSSLESS.steps[TARGET.kind] ?? LOSSLESS.defaultSteps;
    const cfg = withChanges(SAMPLED, { steps, shots: { per_eval: 16, budget: 1e12 } });
    const node = await nodeRun(cfg);
    const { config, dataset } = encodeRun(cfg);
    await board.serial.configure(config, dataset);
    const firstTseq = (await board.serial.status()).nextTseq;

    const got: TelemetryMessage[] = [];
    const gaps: [number, number][] = [];
    let leaveNow: (() => void) | null = null;
    let nextLeave = 0;
    // Each connection's run delivers only while it is the current one: records still queued in a
    // closed connection's run (and its failing fetches) are fetched again after the reconnect.
    let connection = 0;
    const handlersFor = (mine: number) => ({
      onTelemetry: (f: TelemetryMessage) => {
        if (mine !== connection) return;
        got.push(f);
        if (leaveNow && nextLeave < LOSSLESS.leaveAt.length && got.length >= LOSSLESS.leaveAt[nextLeave] * steps) {
          const go = leaveNow;
          leaveNow = null;
          go();
        }
      },
      onGap: (from: number, to: number) => {
        if (mine === connection) gaps.push([from, to]);
      },
    });
    let run = await board.serial.train(steps, handlersFor(connection));
    const paramCount = run.paramCount;
    let end: TrainingEnd | null = null;
    while (end === null) {
      const leave = new Promise<'leave'>((resolve) => (leaveNow = () => resolve('leave')));
      const outcome = await Promise.race([leave, run.done]);
      if (outcome !== 'leave') {
        end = outcome;
        break;
      }
      connection++;
      await board.disconnect();
      await run.done.catch(() => undefined); // LinkLostError: this connection is gone
      await new Promise((r) => setTimeout(r, LOSSLESS.awayMs[nextLeave]));
      nextLeave++;
      const client = await board.reconnect();
      run = client.attach(firstTseq + got.length, paramCount, handlersFor(connection));
    }

    expect(nextLeave).toBe(LOSSLESS.awayMs.length);
    expect(gaps).toEqual([]);
    expect(end.steps).toBe(steps);
    expect(got.map((f) => f.tseq)).toEqual(Array.from({ length: steps }, (_, i) => firstTseq + i));
    expect(got.map((f) => hex(f.record))).toEqual(node.records);
    const ack = await board.serial.ackTelemetry(firstTseq + steps);
    expect(ack).toEqual({ acked: firstTseq + steps, dropped: 0 });
  });
});

describeIf(
  TARGET.fleetId ? null : `${TARGET.name} is on this host's own link, which the test above drops`,
  `lossless telemetry across this host's broker disconnects (${TARGET.name})`,
  () => {
    let board: HilBoard;
    beforeAll(async () => {
      board = await HilBoard.start(TARGET, { persistentBroker: true });
      expect((await board.upload(readModule())).committed).toBe(true);
    });
    afterAll(() => board?.close());

    it(`${LOSSLESS.awayMs.length} departures from the broker of ${Math.min(...LOSSLESS.awayMs) / 1000}–${Math.max(...LOSSLESS.awayMs) / 1000} s lose no record`, async () => {
      const steps = LOSSLESS.steps[TARGET.kind] ?? LOSSLESS.defaultSteps;
      const cfg = withChanges(SAMPLED, { steps, shots: { per_eval: 16, budget: 1e12 } });
      const node = await nodeRun(cfg);
      const { config, dataset } = encodeRun(cfg);
      await board.client.configure(config, dataset);
      const got: TelemetryMessage[] = [];
      const gaps: [number, number][] = [];
      let nextLeave = 0;
      let away: Promise<void> | null = null;
      const departures: Promise<void>[] = [];
      // Leaving in the handler of a record: on MQTT 5 the broker has sent nothing beyond that message
      // (Receive Maximum 1), so every departure leaves the rest of the run at the broker.
      const run = await board.client.train(steps, {
        onTelemetry: (f) => {
          got.push(f);
          if (!away && nextLeave < LOSSLESS.leaveAt.length && got.length >= LOSSLESS.leaveAt[nextLeave] * steps) {
            away = board.leaveBroker(LOSSLESS.awayMs[nextLeave++]).finally(() => (away = null));
            departures.push(away);
          }
        },
        onGap: (from, to) => gaps.push([from, to]),
      });
      const end = await run.done;
      await Promise.all(departures);

      if (board.brokerSendsOneAtATime) expect(nextLeave).toBe(LOSSLESS.awayMs.length);
      else {
        // MQTT 3.1.1 (aedes) has no Receive Maximum: after a return the broker may push the whole
        // rest of the run at once, leaving later departure points with nothing outstanding.
        console.log(`MQTT 3.1.1 broker: ${nextLeave} of ${LOSSLESS.awayMs.length} departures taken with records outstanding`);
        expect(nextLeave).toBeGreaterThanOrEqual(1);
      }
      expect(gaps).toEqual([]);
      expect(end.status).toBe(DoneStatus.COMPLETED);
      expect(end.steps).toBe(steps);
      expect(got.map((f) => f.tseq)).toEqual(Array.from({ length: steps }, (_, i) => got[0].tseq + i));
      expect(got.map((f) => hex(f.record))).toEqual(node.records);
    });
  },
);
