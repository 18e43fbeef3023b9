import { readFileSync } from 'node:fs';

/** The `version` of package.json: shown by `qiot --version` and written into every run log header. */
export const QIOT_VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
