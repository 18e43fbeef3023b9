// Maps device-side failures to the CLI's exit codes (docs/architecture.md): the
// device commands run their body through `deviceAction`.
import { CliError, EXIT } from '../cli/exit-codes.ts';
import { DeviceError } from './errors.ts';
import { EmulatorError } from './emulators.ts';
import { BoardLaunchError } from '../boards/rv32.ts';

export async function deviceAction<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof DeviceError) throw new CliError(err.message, err.exitCode);
    if (err instanceof EmulatorError || err instanceof BoardLaunchError) throw new CliError(err.message, EXIT.failed);
    throw err;
  }
}
