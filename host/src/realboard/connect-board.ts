// Connecting to a real board on a serial port: open at the firmware's baud rate,
// restart the chip through DTR/RTS (unless told not to), then the device client's
// HELLO polling. Whatever the ROM prints while the chip boots is not a frame and is
// ignored by the handshake; its readable part is kept to explain a board that never
// answers.
import { SerialPort } from 'serialport';
import { DeviceClient, type ConnectOptions } from '../device/client.ts';
import { DeviceUnreachableError, ProtocolMismatchError } from '../device/errors.ts';
import { wrapSerialPort } from '../transport/serial.ts';
import { PortOpenError, type Transport } from '../transport/transport.ts';
import { BootTextLog, describeBootText } from './boot-text.ts';
import { REAL_BOARD } from './limits.ts';
import { runResetSequence, serialPortLines, type ResetMode } from './reset.ts';

export interface RealBoardOptions extends ConnectOptions {
  /** Default: the firmware's default rate (REAL_BOARD.baudRate). */
  baudRate?: number;
  /** 'esptool' (default) restarts the chip first; 'none' talks to it as it is (--no-reset). */
  reset?: ResetMode;
  /** Told when the reset could not be done (e.g. a pseudo-terminal has no modem lines). */
  onWarning?: (message: string) => void;
}

export async function connectRealBoard(path: string, opts: RealBoardOptions = {}): Promise<DeviceClient> {
  const port = new SerialPort({ path, baudRate: opts.baudRate ?? REAL_BOARD.baudRate, autoOpen: false });
  let transport: Transport;
  try {
    transport = await wrapSerialPort(port);
  } catch (err) {
    if (err instanceof PortOpenError) throw new DeviceUnreachableError(err.message);
    throw err;
  }
  const bootText = new BootTextLog();
  let collecting = true;
  transport.onData((chunk) => collecting && bootText.push(chunk));
  try {
    if ((opts.reset ?? 'esptool') === 'esptool') {
      const outcome = await runResetSequence(serialPortLines(port));
      if (!outcome.reset) opts.onWarning?.(`board on ${path} not reset: ${outcome.reason}; talking to it as it is`);
    }
    return await DeviceClient.connect(transport, opts);
  } catch (err) {
    await transport.close().catch(() => undefined);
    if (err instanceof DeviceUnreachableError && !(err instanceof ProtocolMismatchError)) {
      throw new DeviceUnreachableError(`${err.message}; ${describeBootText(bootText)}`);
    }
    throw err;
  } finally {
    collecting = false;
  }
}
