// Hand-assembled WebAssembly modules with the qiot ABI's exports (docs/abi.md)
// for fault tests: one whose step() / step_continue() execute `unreachable` (a trap), one whose
// step_continue() loops forever (the watchdog's case), one whose step_continue() recurses
// without end (the native stack guard's), one that reports another ABI version. Written byte by byte from the wasm binary format
// (https://webassembly.github.io/spec/core/binary/), nothing else.

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};

const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
};

const name = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, 'ascii')];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];

const I32 = 0x7f;
const F64 = 0x7c;
const TYPES = {
  i32: [0x60, 0, 1, I32], // () → i32
  splitF64: [0x60, 1, I32, 1, F64], // (i32) → f64
  codeI32: [0x60, 1, I32, 1, I32], // (i32) → i32
};
const TYPE_INDEX = { i32: 0, splitF64: 1, codeI32: 2 } as const;

const END = 0x0b;
const constI32 = (v: number) => [0x41, ...sleb(v), END];
const constF64 = (v: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return [0x44, ...b, END];
};
const UNREACHABLE = [0x00, END];
// loop (empty) br 0 end; i32.const 0: never returns.
const LOOP_FOREVER = [0x03, 0x40, 0x0c, 0x00, END, 0x41, 0x00, END];
// local.get 0; call self: recursion without end.
const recurse = (self: number) => [0x20, 0x00, 0x10, ...uleb(self), END];

interface Fn {
  export: string;
  type: keyof typeof TYPE_INDEX;
  body: number[];
}

export interface TinyModuleOptions {
  abiVersion?: number;
  /** step() and step_continue() execute `unreachable`. */
  trapInStep?: boolean;
  /** step_continue() loops forever. */
  loopInStep?: boolean;
  /** step_continue() calls itself without end. */
  recurseInStep?: boolean;
}

/** A module with every export the firmware looks up; init() accepts any config, param_count() is 0. */
export function tinyModule({
  abiVersion = 1,
  trapInStep = false,
  loopInStep = false,
  recurseInStep = false,
}: TinyModuleOptions = {}): Uint8Array<ArrayBuffer> {
  const STEP_CONTINUE = 16; // its index in fns below
  const stepContinue = trapInStep ? UNREACHABLE : loopInStep ? LOOP_FOREVER : recurseInStep ? recurse(STEP_CONTINUE) : constI32(0);
  const fns: Fn[] = [
    { export: 'abi_version', type: 'i32', body: constI32(abiVersion) },
    { export: 'max_qubits', type: 'i32', body: constI32(10) },
    { export: 'max_params', type: 'i32', body: constI32(256) },
    { export: 'max_samples', type: 'i32', body: constI32(256) },
    { export: 'max_features', type: 'i32', body: constI32(10) },
    { export: 'dataset_capacity', type: 'i32', body: constI32(12_288) },
    { export: 'config_ptr', type: 'i32', body: constI32(0x100) },
    { export: 'dataset_ptr', type: 'i32', body: constI32(0x1000) },
    { export: 'params_ptr', type: 'i32', body: constI32(0x4000) },
    { export: 'grad_ptr', type: 'i32', body: constI32(0x4800) },
    { export: 'telemetry_ptr', type: 'i32', body: constI32(0x5000) },
    { export: 'message_ptr', type: 'i32', body: constI32(0x5100) },
    { export: 'init', type: 'i32', body: constI32(0) },
    { export: 'param_count', type: 'i32', body: constI32(0) },
    { export: 'step', type: 'i32', body: trapInStep ? UNREACHABLE : constI32(0) },
    { export: 'step_begin', type: 'i32', body: constI32(0) },
    { export: 'step_continue', type: 'codeI32', body: stepContinue },
    { export: 'gradient', type: 'i32', body: constI32(0) },
    { export: 'evaluate', type: 'splitF64', body: constF64(0) },
    { export: 'accuracy', type: 'splitF64', body: constF64(NaN) },
    { export: 'error_message', type: 'codeI32', body: constI32(0) },
  ];
  if (fns[STEP_CONTINUE].export !== 'step_continue') throw new Error('tinyModule: step_continue moved');
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([TYPES.i32, TYPES.splitF64, TYPES.codeI32])),
    ...section(3, vec(fns.map((f) => uleb(TYPE_INDEX[f.type])))),
    ...section(5, vec([[0x01, 1, 1]])), // one memory, min = max = 1 page
    ...section(7, vec([[...name('memory'), 0x02, 0], ...fns.map((f, i) => [...name(f.export), 0x00, ...uleb(i)])])),
    ...section(
      10,
      vec(
        fns.map((f) => {
          const body = [0 /* no locals */, ...f.body];
          return [...uleb(body.length), ...body];
        }),
      ),
    ),
  ];
  return Uint8Array.from(bytes);
}

/** `base` with a custom section (id 0) appended: a valid module that runs exactly like `base`
 *  (engines ignore custom sections) but has another sha256 and size. */
export function variantModule(base: Uint8Array, tag: string, paddingBytes: number): Uint8Array<ArrayBuffer> {
  const sectionName = Buffer.from(`qiot-${tag}`, 'ascii');
  const content = [...uleb(sectionName.length), ...sectionName, ...new Uint8Array(paddingBytes).fill(0x5a)];
  return Uint8Array.from([...base, 0x00, ...uleb(content.length), ...content]);
}
