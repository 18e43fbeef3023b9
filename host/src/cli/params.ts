// qiot-command: 80 params — read or write θ, the circuit parameters of the module on a board (after a run)
// `qiot params get|set --port P`: θ of the module on a board (PARAMS_READ/WRITE).
// θ lives in the board's RAM, so these never restart the board (no DTR/RTS reset).
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { withBoard } from './board-session.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { addKeyOption, type KeyOptionValues } from './key-option.ts';
import { addPortOptions, type PortOptionValues } from './port-options.ts';

interface ParamsOptions extends PortOptionValues, KeyOptionValues {
  json?: boolean;
}

export function register(program: Command): void {
  const params = program
    .command('params')
    .description('read or write θ, the circuit parameters of the module on a board (after a run)')
    .addHelpText(
      'after',
      '\nExample:\n  qiot params get --port /dev/pts/3 --json > theta.json\n  qiot params set theta.json --port /dev/pts/3',
    );

  addPortOptions(params.command('get'))
    .description('print θ as the last run on the board left it')
    .option('--json', 'print one JSON object {port, count, params}')
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 the board refused (no run since the module was loaded), 2 bad usage or no port given or found, 3 board unreachable.',
    )
    .action(async (opts: ParamsOptions) => {
      const [theta, port] = await withBoard(opts, async (client, port) => [await client.readParams(), port] as const);
      process.stdout.write(
        opts.json
          ? `${JSON.stringify({ port, count: theta.length, params: [...theta] })}\n`
          : [...theta].map((value, i) => `θ[${i}] = ${value}\n`).join(''),
      );
    });

  addKeyOption(addPortOptions(params.command('set')))
    .description(
      'write θ (a JSON array of numbers, the output of `params get --json`, or a run log with θ in its summary) to the idle board',
    )
    .argument('<file>', 'JSON file or run log holding θ')
    .addHelpText(
      'after',
      '\nθ must have exactly as many values as the module has parameters; the next run starts again from the config.\n' +
        'Exit codes: 0 written, 1 the board refused (wrong count, training, no run yet), 2 bad usage, no port or a bad file, 3 board unreachable.',
    )
    .action(async (file: string, opts: ParamsOptions) => {
      const theta = await readTheta(file);
      const port = await withBoard(opts, async (client, port) => {
        await client.writeParams(theta);
        return port;
      });
      process.stderr.write(`qiot: wrote ${theta.length} parameters to ${port}\n`);
    });
}

/** θ from a JSON file: an array of finite numbers, or an object whose `params` is one. */
export async function readTheta(file: string): Promise<number[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`, EXIT.usage);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // A run log (JSON Lines): θ is in its summary, the last line.
    const last = text.trimEnd().split('\n').at(-1) ?? '';
    try {
      value = JSON.parse(last);
    } catch {
      throw new CliError(`${file} is not JSON: ${(err as Error).message}`, EXIT.usage);
    }
  }
  const theta = Array.isArray(value) ? value : (value as { params?: unknown } | null)?.params;
  if (!Array.isArray(theta) || theta.length === 0)
    throw new CliError(`${file}: expected a JSON array of numbers or an object with a "params" array`, EXIT.usage);
  const bad = theta.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad >= 0) throw new CliError(`${file}: params[${bad}] is ${JSON.stringify(theta[bad])}, expected a finite number`, EXIT.usage);
  return theta as number[];
}
