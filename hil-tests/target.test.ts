// Target selection from the environment, as hil-tests/README.md documents it.
import { describe, expect, it } from 'vitest';
import { rv32Board } from '../host/src/boards/rv32.ts';
import { serialBoard } from '../host/src/boards/serial.ts';
import { posixBoard } from '../host/src/boards/posix.ts';
import { FLEET_HIL } from './limits.ts';
import { CAPABILITIES, targetFromEnv, TargetSpecError } from './target.ts';

describe('targetFromEnv', () => {
  it('defaults to the posix board with multiplier 1', () => {
    expect(targetFromEnv({})).toMatchObject({ kind: 'posix', name: 'posix', timeScale: 1, emulated: true });
  });

  it('rv32 uses its measured multiplier', () => {
    expect(targetFromEnv({ QIOT_TARGET: 'rv32' })).toMatchObject({
      kind: 'rv32',
      timeScale: rv32Board.timeScale,
      emulated: true,
      board: rv32Board,
    });
  });

  it('a device path is a real board: 921600 baud and multiplier 5 unless overridden', () => {
    expect(serialBoard).toMatchObject({ defaultBaud: 921_600, timeScale: 5 });
    expect(targetFromEnv({ QIOT_TARGET: '/dev/ttyUSB0' })).toEqual({
      board: serialBoard,
      kind: 'serial',
      name: 'ttyUSB0',
      path: '/dev/ttyUSB0',
      baud: 921_600,
      timeScale: 5,
      emulated: false,
      capabilities: new Set(CAPABILITIES),
    });
    expect(targetFromEnv({ QIOT_TARGET: '/dev/serial/by-id/usb-Espressif:01', QIOT_BAUD: '115200', QIOT_TIME_SCALE: '2.5' })).toMatchObject(
      {
        name: 'usb-Espressif_01',
        baud: 115_200,
        timeScale: 2.5,
      },
    );
  });

  it('a board of a gateway: its own board’s multiplier × the MQTT detour, none of the link capabilities', () => {
    const spec = targetFromEnv({ QIOT_TARGET: 'fleet', QIOT_FLEET_BOARD: 'lab1-rv32-0', QIOT_FLEET_BOARD_KIND: 'rv32-qemu-virt' });
    expect(spec).toMatchObject({ kind: 'rv32', name: 'fleet-lab1-rv32-0', fleetId: 'lab1-rv32-0', emulated: false });
    expect(spec.timeScale).toBe(rv32Board.timeScale * FLEET_HIL.timeScale);
    expect(spec.capabilities.size).toBe(0);
    expect(targetFromEnv({ QIOT_TARGET: 'posix' }).capabilities).toEqual(new Set(CAPABILITIES));
    // A board name the registry does not know is a real board: the serial board's multiplier.
    expect(targetFromEnv({ QIOT_TARGET: 'fleet', QIOT_FLEET_BOARD: 'x', QIOT_FLEET_BOARD_KIND: 'esp32c3' }).timeScale).toBe(
      serialBoard.timeScale * FLEET_HIL.timeScale,
    );
    expect(targetFromEnv({ QIOT_TARGET: 'fleet', QIOT_FLEET_BOARD: 'x', QIOT_FLEET_BOARD_KIND: posixBoard.name }).kind).toBe('posix');
  });

  it.each([
    [{ QIOT_TARGET: 'esp32' }, /QIOT_TARGET=esp32: expected posix, rv32, fleet .* or the absolute path/],
    [{ QIOT_TARGET: 'fleet' }, /QIOT_TARGET=fleet runs on every board of the broker through hil-tests\/fleet-run.ts/],
    [{ QIOT_TARGET: '/dev/ttyACM0', QIOT_TIME_SCALE: '0' }, /QIOT_TIME_SCALE=0: must be a positive number/],
    [{ QIOT_TARGET: '/dev/ttyACM0', QIOT_BAUD: 'fast' }, /QIOT_BAUD=fast: must be a positive number/],
    [{ QIOT_TARGET: 'rv32', QIOT_TIME_SCALE: '3' }, /QIOT_TIME_SCALE applies to serial devices; rv32 uses its measured multiplier/],
  ])('refuses %o naming the variable', (env, message) => {
    expect(() => targetFromEnv(env)).toThrow(TargetSpecError);
    expect(() => targetFromEnv(env)).toThrow(message);
  });
});
