// host/src/protocol/payloads.generated.ts: one type, encoder and decoder per payload layout of
// abi/qiot-protocol.ts (requests, OK answers, board messages), over protocol/bytes.ts.
import { type Field, type Layout, type Part, camel, parseLayout, pascal } from './payload-layout.ts';
import { REQUESTS, RESPONSES, type Request } from './qiot-protocol.ts';

/** One generated codec: encode<fn>/decode<fn> of the interface `type`, errors naming `what`. */
export interface Codec {
  fn: string;
  type: string;
  what: string;
  part: Part;
  doc: string;
}

const nameOf = (r: Request): string => r.name ?? r.symbol;

/** Every layout with at least one field: requests (HELLO → encodeHello), OK answers (encodeUploadCommitOk),
 *  board messages (encodeStatus of StatusMessage). */
export function codecs(requests: readonly Request[] = REQUESTS): Codec[] {
  const out: Codec[] = [];
  const add = (fn: string, type: string, what: string, layout: Layout, doc: string) => {
    if (out.some((c) => c.fn === fn)) throw new Error(`${what}: a second codec named encode${fn}/decode${fn}`);
    if (layout.length > 0) out.push({ fn, type, what, part: parseLayout(layout, what), doc });
  };
  for (const r of requests) {
    add(pascal(r.symbol), pascal(r.symbol), nameOf(r), r.payload, `${nameOf(r)} request payload.`);
    if (typeof r.ok !== 'string')
      add(`${pascal(r.symbol)}Ok`, `${pascal(r.symbol)}Ok`, `OK (${nameOf(r)})`, r.ok, `OK answer to ${nameOf(r)}.`);
  }
  for (const m of RESPONSES) {
    if (typeof m.payload !== 'string') add(pascal(m.symbol), `${pascal(m.symbol)}Message`, m.symbol, m.payload, `${m.symbol} payload.`);
  }
  return out;
}

const ARRAY_TYPES: Record<string, string> = {
  u8: 'Uint8Array',
  u16: 'Uint16Array',
  u32: 'Uint32Array',
  u64: 'BigUint64Array',
  i32: 'Int32Array',
  f32: 'Float32Array',
  f64: 'Float64Array',
};

function tsType(f: Field): string {
  switch (f.kind) {
    case 'scalar':
      return f.type === 'u64' ? 'bigint' : 'number';
    case 'bytes':
      return 'Uint8Array';
    case 'str8':
    case 'text':
      return 'string';
    case 'array':
    case 'rest':
      return ARRAY_TYPES[f.type];
    case 'strings':
      return 'Uint8Array[]';
  }
}

/** The fields a payload object has: all but the counts (written from their array's length). */
const own = (part: Part): Field[] => part.fields.filter((f) => !(f.kind === 'scalar' && f.countOf));
const q = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function interfaceLines(c: Codec): string[] {
  const lines = [`/** ${c.doc} */`, `export interface ${c.type} {`];
  for (let p: Part | undefined = c.part, optional = false; p; p = p.optional, optional = true) {
    for (const f of own(p)) {
      if (f.doc) lines.push(`  /** ${f.doc.replace(/\*\//g, '*​/')} */`);
      lines.push(`  ${camel(f.name)}${optional ? '?' : ''}: ${tsType(f)};`);
    }
  }
  lines.push('}');
  return lines;
}

function presentTest(part: Part): string {
  const names: string[] = [];
  for (let p: Part | undefined = part; p; p = p.optional) for (const f of own(p)) names.push(`p.${camel(f.name)} !== undefined`);
  return names.join(' || ');
}

function encodeLines(c: Codec, part: Part, top: boolean, indent: string): string[] {
  const value = (f: Field) => (top ? `p.${camel(f.name)}` : `need(p.${camel(f.name)}, ${q(c.what)}, ${q(f.name)})`);
  const lines: string[] = [];
  for (const f of part.fields) {
    switch (f.kind) {
      case 'scalar': {
        const counted = f.countOf ? part.fields.find((g) => g.name === f.countOf) : undefined;
        lines.push(`w.${f.type}(${counted ? `${value(counted)}.length` : value(f)});`);
        break;
      }
      case 'bytes':
        lines.push(`w.fixed(${value(f)}, ${f.size}, ${q(`${c.what} ${f.name}`)});`);
        break;
      case 'str8':
        lines.push(`w.shortString(${value(f)});`);
        break;
      case 'text':
        lines.push(`w.restString(${value(f)});`);
        break;
      case 'array':
      case 'rest':
        lines.push(f.type === 'u8' ? `w.bytes(${value(f)});` : `w.array(${q(f.type)}, ${value(f)});`);
        break;
      case 'strings':
        lines.push(`for (const s of ${value(f)}) w.fixed(s, ${f.size}, ${q(`${c.what} ${f.name}`)});`);
        break;
    }
  }
  if (part.optional) {
    lines.push(`if (${presentTest(part.optional)}) {`, ...encodeLines(c, part.optional, false, '  '), '}');
  }
  return lines.map((l) => indent + l);
}

function readExpr(f: Field): string {
  const count = (name: string) => `$${camel(name)}`;
  switch (f.kind) {
    case 'scalar':
      return `r.${f.type}(${q(f.name)})`;
    case 'bytes':
      return `r.bytesOf(${f.size}, ${q(f.name)})`;
    case 'str8':
      return `r.shortString(${q(f.name)})`;
    case 'text':
      return 'r.restString()';
    case 'array':
      return f.type === 'u8' ? `r.bytesOf(${count(f.count)}, ${q(f.name)})` : `r.array(${q(f.type)}, ${count(f.count)}, ${q(f.name)})`;
    case 'rest':
      return f.type === 'u8' ? 'r.rest()' : `r.restArray(${q(f.type)}, ${q(f.name)})`;
    case 'strings':
      return `Array.from({ length: ${count(f.count)} }, () => r.bytesOf(${f.size}, ${q(f.name)}))`;
  }
}

function decodeLines(c: Codec): string[] {
  const lines: string[] = [];
  // The first part in order into locals, so counts are read before their arrays.
  for (const f of c.part.fields) lines.push(`const $${camel(f.name)} = ${readExpr(f)};`);
  const props = own(c.part).map((f) => `${camel(f.name)}: $${camel(f.name)}`);
  lines.push(`const p: ${c.type} = ${props.length > 0 ? `{ ${props.join(', ')} }` : '{}'};`);
  const optional = (part: Part, indent: string): string[] => [
    `${indent}if (r.remaining > 0) {`,
    ...part.fields.map((f) =>
      f.kind === 'scalar' && f.countOf
        ? `${indent}  const $${camel(f.name)} = ${readExpr(f)};`
        : `${indent}  p.${camel(f.name)} = ${readExpr(f)};`,
    ),
    ...(part.optional ? optional(part.optional, `${indent}  `) : []),
    `${indent}}`,
  ];
  if (c.part.optional) lines.push(...optional(c.part.optional, ''));
  return lines.map((l) => `  ${l}`);
}

function codecSource(c: Codec): string[] {
  return [
    ...interfaceLines(c),
    `export function encode${c.fn}(p: Encodable<${c.type}>): Uint8Array {`,
    '  const w = new ByteWriter();',
    ...encodeLines(c, c.part, true, '  '),
    '  return w.finish();',
    '}',
    `export function decode${c.fn}(bytes: Uint8Array): ${c.type} {`,
    `  const r = new ByteReader(bytes, ${q(c.what)});`,
    ...decodeLines(c),
    '  r.end();',
    '  return p;',
    '}',
    '',
  ];
}

export function hostPayloadsSource(): string {
  const all = codecs();
  const usesNeed = all.some((c) => c.part.optional);
  return [
    '// Generated by abi/generate.ts from abi/qiot-protocol.ts — do not edit.',
    '// Payload types, encoders and decoders of the wire protocol (docs/protocol.md), one per layout.',
    `import { ByteReader, ByteWriter, type Encodable${usesNeed ? ', need' : ''} } from './bytes.ts';`,
    '',
    ...all.flatMap(codecSource),
  ].join('\n');
}
