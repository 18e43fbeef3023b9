// The table of docs/config.md between `<!-- config:fields -->` markers: every JSON run-config key
// that sets a field of the module's config struct, with its default, values and meaning.
import { LIMITS } from '../host/src/config/limits.ts';
import { CAPACITIES, CONFIG_FIELDS, ENUMS, HOST_BUILD_CAPACITIES, type ConfigField, type JsonField } from './qiot-abi.ts';

const CHECK_TEXT = { positive: '> 0', nonnegative: '≥ 0', unit: '[0, 1)', probability: '(0, 1]' } as const;

/** A bound of an integer check: a number, or a name of the host's Limits (a capacity: device value and host build's). */
function bound(b: number | string): string {
  if (typeof b === 'number') return b.toLocaleString('en-US').replace(/,/g, ' ');
  if (b === 'maxJsonInteger') return '2⁵³ − 1';
  const name = `MAX_${b
    .replace(/^max/, '')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toUpperCase()}`;
  const device = (CAPACITIES as Record<string, { value: number }>)[name];
  const hostLimit = (LIMITS as Record<string, number>)[b];
  if (!device && hostLimit !== undefined) return bound(hostLimit);
  if (!device) throw new Error(`config check bound '${b}' names no capacity ${name} and no host limit`);
  const host = (HOST_BUILD_CAPACITIES as Record<string, { value: number }>)[name];
  return host ? `${bound(device.value)} (host build ${bound(host.value)})` : bound(device.value);
}

function values(field: ConfigField, json: JsonField): string {
  if (field.enum) return ENUMS[field.enum].members.map((m) => `\`${m.name}\``).join(', ');
  const check = json.check;
  if (check === undefined) return '';
  if (typeof check === 'string') return CHECK_TEXT[check];
  return `${bound(check.int[0])} … ${bound(check.int[1])}`;
}

function defaultText(field: ConfigField, json: JsonField): string {
  if (json.default === undefined) return 'derived (see meaning)';
  if (field.enum) return `\`${json.default}\``;
  if (json.default === 2 * Math.PI) return '2π';
  return String(json.default);
}

/** Rows in description order (the struct's), one per JSON key. */
export function configFieldsTable(fields: readonly ConfigField[] = CONFIG_FIELDS): string[] {
  const rows = fields.flatMap((field) => {
    const json = field.json;
    if (!json) return [];
    const meaning = json.doc ?? (field.doc || (field.enum ? ENUMS[field.enum].doc : ''));
    return [`| \`${json.path}\` | ${defaultText(field, json)} | ${values(field, json)} | ${meaning.replace(/\|/g, '\\|')} |`];
  });
  return ['| key | default | values | meaning |', '|---|---|---|---|', ...rows];
}
