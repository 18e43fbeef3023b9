import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { QiotError } from '../errors.ts';
import { scratchDir } from '../../testing/harness.ts';
import { defaultPort, findProjectConfig, PROJECT_CONFIG_FILE } from './default-port.ts';

describe('defaultPort', () => {
  const scratch = scratchDir();
  afterAll(() => scratch.remove());
  const project = join(scratch.dir, 'project');
  const nested = join(project, 'src', 'deep');
  mkdirSync(nested, { recursive: true });
  const empty = join(scratch.dir, 'elsewhere');
  mkdirSync(empty);

  it('is null with neither QIOT_PORT nor a project config', () => {
    // The scratch dir is under the system temp dir, which has no qiot.config.json above it.
    expect(findProjectConfig(empty)).toBeNull();
    expect(defaultPort(empty, {})).toBeNull();
  });

  it('takes the nearest qiot.config.json upwards; a relative port is relative to the file', () => {
    writeFileSync(join(project, PROJECT_CONFIG_FILE), JSON.stringify({ port: 'build/board' }));
    expect(defaultPort(nested, {})).toEqual({ port: join(project, 'build/board'), source: join(project, PROJECT_CONFIG_FILE) });
    writeFileSync(join(project, 'src', PROJECT_CONFIG_FILE), JSON.stringify({ port: '/dev/ttyUSB1' }));
    expect(defaultPort(nested, {})?.port).toBe('/dev/ttyUSB1');
  });

  it('QIOT_PORT wins over the project config', () => {
    expect(defaultPort(nested, { QIOT_PORT: '/dev/ttyACM0' })).toEqual({ port: '/dev/ttyACM0', source: 'QIOT_PORT' });
  });

  it('refuses a config file that is not JSON, has an unknown field or a bad port, naming the file', () => {
    const dir = join(scratch.dir, 'bad');
    mkdirSync(dir);
    const file = join(dir, PROJECT_CONFIG_FILE);
    for (const [text, message] of [
      ['{"port": ', /qiot\.config\.json: .*JSON/],
      ['{"prot": "/dev/ttyUSB0"}', /unknown field "prot"/],
      ['{"port": 3}', /"port" must be a non-empty string, got 3/],
      ['["/dev/ttyUSB0"]', /expected a JSON object/],
    ] as const) {
      writeFileSync(file, text);
      const err = (() => {
        try {
          defaultPort(dir, {});
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(QiotError);
      expect((err as QiotError).kind).toBe('invalid');
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).toContain(file);
    }
  });
});
