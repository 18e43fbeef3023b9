import { afterEach, describe, expect, it } from 'vitest';
import { SerialPortMock } from 'serialport';
import { ESPTOOL_HARD_RESET, runResetSequence, serialPortLines, type LineLevels } from './reset.ts';

type Event = { set: LineLevels } | { wait: number };

/** Opens a SerialPortMock and records every set() that reaches its binding, interleaved
 *  with the waits of the sequence, so the test sees what a real UART driver would get. */
async function recordingPort(path: string, failWith?: Error) {
  SerialPortMock.binding.createPort(path);
  const port = new SerialPortMock({ path, baudRate: 921_600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  const events: Event[] = [];
  const binding = port.port!;
  const forward = binding.set.bind(binding);
  binding.set = async (options) => {
    events.push({ set: { dtr: options.dtr!, rts: options.rts! } });
    if (failWith) throw failWith;
    return forward(options);
  };
  const wait = async (ms: number) => {
    events.push({ wait: ms });
  };
  return { port, events, wait };
}

afterEach(() => SerialPortMock.binding.reset());

describe('esptool hard reset over DTR/RTS', () => {
  it('drives the binding in esptool HardReset order with DTR de-asserted (GPIO0 high: boot from flash)', async () => {
    const { port, events, wait } = await recordingPort('/dev/mock-esp32');
    const outcome = await runResetSequence(serialPortLines(port), ESPTOOL_HARD_RESET, wait);
    expect(outcome).toEqual({ reset: true });
    // esptool/reset.py HardReset.reset(): _setRTS(True) [EN low], sleep(0.1), _setRTS(False);
    // _setRTS re-sends the unchanged DTR, which esptool keeps False after connecting.
    expect(events).toEqual([{ set: { dtr: false, rts: true } }, { wait: 100 }, { set: { dtr: false, rts: false } }]);
    // Never DTR asserted while RTS is released: that combination selects download mode.
    expect(events.some((e) => 'set' in e && e.set.dtr && !e.set.rts)).toBe(false);
    port.close();
  });

  it('reports a port without modem lines (a pseudo-terminal) instead of failing, and stops there', async () => {
    const { port, events, wait } = await recordingPort('/dev/mock-pty', new Error('Inappropriate ioctl for device, cannot set'));
    const outcome = await runResetSequence(serialPortLines(port), ESPTOOL_HARD_RESET, wait);
    expect(outcome.reset).toBe(false);
    expect(outcome.reset === false && outcome.reason).toMatch(/no DTR\/RTS lines/);
    expect(events).toHaveLength(1);
    port.close();
  });

  it('fails with the driver error when setting the lines fails for another reason', async () => {
    const { port, wait } = await recordingPort('/dev/mock-broken', new Error('EIO: i/o error'));
    await expect(runResetSequence(serialPortLines(port), ESPTOOL_HARD_RESET, wait)).rejects.toThrow(
      /resetting the board through DTR\/RTS failed: EIO/,
    );
    port.close();
  });
});
