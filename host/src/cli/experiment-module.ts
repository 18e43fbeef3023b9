// --module of the experiments that run on any module build.
import { MODULE_BUILD_NAMES } from '../wasm/builds.ts';

export const MODULE_OPTION_HELP = `module build: ${MODULE_BUILD_NAMES.join(', ')} (host: 20 qubits, 4 096 parameters, any depth they allow)`;
