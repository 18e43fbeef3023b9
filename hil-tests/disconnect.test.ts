// The host drops the link right after the first TELEMETRY of a run and comes back once the
// board has finished it alone. While the board's ring still holds the records it missed,
// TELEMETRY_FETCH returns all of them (no gap) and together with those received before they
// are Node's records byte for byte. When more steps ran than the ring holds, the fetch returns
// the ring's records (Node's last ring_capacity records) and reports as missing exactly the
// records that were overwritten.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunConfig } from '../host/src/config/schema.ts';
import { BoardState, MessageType } from '../host/src/protocol/constants.ts';
import type { TelemetryMessage } from '../host/src/protocol/payloads.generated.ts';
import { HilBoard } from './board.ts';
import { PROBE, describeNeeding, ringOverflowSkipReason } from './capabilities.ts';
import { EXACT, HEAVY, withChanges } from './configs.ts';
import { BASE_MS, RING } from './limits.ts';
import { boardRun, encodeRun, hex, nodeRun, readModule } from './reference.ts';
import { scaled, TARGET } from './target.ts';

interface AwayRun {
  firstTseq: number;
  /** Frames received before the host left. */
  before: TelemetryMessage[];
}

const overflowSkip = ringOverflowSkipReason();
if (overflowSkip) console.log(`skipping the ring-overflow test: ${overflowSkip}`);

describeNeeding(['linkDrop'], `host disconnect mid-training (${TARGET.name})`, () => {
  let board: HilBoard;
  /** EXACT if its steps take long enough on this board, else HEAVY (RING.minStepUs). */
  let slowConfig: RunConfig;
  beforeAll(async () => {
    board = await HilBoard.start();
    expect((await board.upload(readModule())).committed).toBe(true);
    const calibration = await boardRun(board.serial, withChanges(EXACT, { steps: 2 }));
    const stepUs = Math.min(...calibration.frames.map((f) => f.stepUs));
    slowConfig = stepUs >= RING.minStepUs ? EXACT : HEAVY;
    console.log(`disconnect tests on ${TARGET.name}: EXACT steps take ${stepUs} µs, using ${slowConfig === EXACT ? 'EXACT' : 'HEAVY'}`);
  });
  afterAll(() => board?.close());

  /** Starts `steps` steps of `cfg`, closes the port after the first TELEMETRY, reconnects and
   *  waits (STATUS) until the board has finished the run on its own. */
  async function runWhileAway(cfg: RunConfig, steps: number): Promise<AwayRun> {
    const { config, dataset } = encodeRun(cfg);
    await board.serial.configure(config, dataset);
    const firstTseq = (await board.serial.status()).nextTseq;
    let doneSeen = false;
    const watchDone = board.serial.link.onFrame((f) => {
      if (f.type === MessageType.DONE) doneSeen = true;
    });
    const before: TelemetryMessage[] = [];
    let leave!: () => void;
    const first = new Promise<void>((resolve) => (leave = resolve));
    // drop-oldest: the board trains on while the host is away, overwriting what the ring cannot hold.
    const run = await board.serial.train(
      steps,
      {
        onTelemetry: (f) => {
          before.push(f);
          leave();
        },
      },
      { telemetry: 'drop-oldest' },
    );
    run.done.catch(() => undefined); // ends with LinkLostError when we leave
    await first;
    const left = before.length;
    await board.disconnect();
    watchDone();
    before.length = left; // frames still queued in the delivery chain are fetched again below

    const client = await board.reconnect();
    expect(doneSeen, 'the run had ended before the host left: choose a slower config').toBe(false);
    const deadline = Date.now() + scaled(BASE_MS.runEnd);
    for (;;) {
      const status = await client.status();
      if (status.state === BoardState.IDLE) {
        expect(status.nextTseq).toBe(firstTseq + steps);
        break;
      }
      expect(Date.now(), `run still going ${scaled(BASE_MS.runEnd)} ms after the host came back`).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, BASE_MS.statusPoll));
    }
    return { firstTseq, before };
  }

  it('reads the records it missed from the ring with no gap; they equal Node’s', async () => {
    const steps = Math.min(slowConfig.steps, PROBE.ringCapacity);
    const cfg = withChanges(slowConfig, { steps });
    const node = await nodeRun(cfg);
    const { firstTseq, before } = await runWhileAway(cfg, steps);
    expect(before.length).toBeLessThan(steps);

    const fetched = await board.serial.fetchTelemetry(firstTseq + before.length);
    expect(fetched.missing).toBe(0);
    expect(fetched.nextTseq).toBe(firstTseq + steps);
    const all = [...before, ...fetched.frames];
    expect(all.map((f) => f.tseq)).toEqual(Array.from({ length: steps }, (_, i) => firstTseq + i));
    expect(all.map((f) => hex(f.record))).toEqual(node.records);
  });

  it.skipIf(overflowSkip !== null)(
    `after more steps than the ring holds (ring_capacity ${PROBE.ringCapacity} + ${RING.overflowExtraSteps}), the fetch reports exactly the overwritten records as missing`,
    async () => {
      const capacity = PROBE.ringCapacity;
      const steps = capacity + RING.overflowExtraSteps;
      const cfg = withChanges(slowConfig, { steps });
      const node = await nodeRun(cfg);
      const { firstTseq, before } = await runWhileAway(cfg, steps);
      const overwritten = steps - capacity;
      expect(before.length, 'the host left too late for the ring to overflow').toBeLessThan(overwritten);
      expect(before.map((f) => hex(f.record))).toEqual(node.records.slice(0, before.length));

      const from = firstTseq + before.length;
      const fetched = await board.serial.fetchTelemetry(from);
      const firstHeld = firstTseq + steps - capacity;
      expect(fetched.firstHeld).toBe(firstHeld);
      expect(fetched.nextTseq).toBe(firstTseq + steps);
      expect(fetched.missing).toBe(firstHeld - from);
      expect(fetched.frames.map((f) => f.tseq)).toEqual(Array.from({ length: capacity }, (_, i) => firstHeld + i));
      expect(fetched.frames.map((f) => hex(f.record))).toEqual(node.records.slice(overwritten));
      // Every step is accounted for: received, fetched, or reported missing.
      expect(before.length + fetched.missing + fetched.frames.length).toBe(steps);
    },
  );
});
