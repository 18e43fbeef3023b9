import { readFileSync } from 'node:fs';
import { packagePath } from './package-root.ts';

/** The `version` of package.json: shown by `qiot --version` and written into every run log header. */
export const QIOT_VERSION: string = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')).version;
