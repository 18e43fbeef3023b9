// The board port a command uses when --port is not given: $QIOT_PORT, else the "port"
// of the nearest qiot.config.json in the working directory or one of its parents
// (docs/boards.md, "Default port"). A relative port in the file is relative to the
// file's directory, so a project can name e.g. the link of `qiot emulate --link`.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { QiotError } from '../errors.ts';

export const PROJECT_CONFIG_FILE = 'qiot.config.json';

export interface DefaultPort {
  port: string;
  /** Where it came from: 'QIOT_PORT' or the config file's path. */
  source: string;
}

/** The nearest qiot.config.json from `cwd` upwards, or null. */
export function findProjectConfig(cwd: string): string | null {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const file = join(dir, PROJECT_CONFIG_FILE);
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) return null;
  }
}

/** The project config's fields; unknown fields are refused so a typo is not silently ignored. */
export function readProjectConfig(file: string): { port?: string } {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new QiotError(`${file}: ${(err as Error).message}`, 'invalid');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new QiotError(`${file}: expected a JSON object such as {"port": "/dev/ttyUSB0"}`, 'invalid');
  }
  const unknown = Object.keys(value).filter((k) => k !== 'port' && k !== '$comment');
  if (unknown.length > 0) throw new QiotError(`${file}: unknown field ${JSON.stringify(unknown[0])} (known: "port")`, 'invalid');
  const { port } = value as { port?: unknown };
  if (port !== undefined && (typeof port !== 'string' || port === '')) {
    throw new QiotError(`${file}: "port" must be a non-empty string, got ${JSON.stringify(port)}`, 'invalid');
  }
  return { port: port as string | undefined };
}

export function defaultPort(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): DefaultPort | null {
  if (env.QIOT_PORT) return { port: env.QIOT_PORT, source: 'QIOT_PORT' };
  const file = findProjectConfig(cwd);
  const port = file ? readProjectConfig(file).port : undefined;
  return file && port ? { port: resolve(dirname(file), port), source: file } : null;
}
