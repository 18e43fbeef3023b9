// Parses what the bench ELF (firmware/ports/rv32/bench.c) prints on its UART:
// lines of space-separated key=value pairs, `step=N …` lines per measured step.
export interface BenchStep {
  step: number;
  moduleInstructions: number;
  referenceInstructions: number;
  evals: number;
  moduleLoss: number;
  referenceLoss: number;
  moduleGradNorm: number;
  referenceGradNorm: number;
  thetaGap: number;
  agree: boolean;
}

export interface BenchRun {
  qubits: number;
  layers: number;
  params: number;
  moduleBytes: number;
  /** Instructions to parse, compile and instantiate the module (the board does this at boot and after a commit). */
  loadInstructions: number;
  heapAfterLoad: number;
  heapPeak: number;
  heapCapacity: number;
  stackPeak: number;
  stackCapacity: number;
  /** Bytes of wasm3's value stack (QIOT_WASM_STACK_BYTES, on the heap) the step reached. */
  wasm3StackPeak: number;
  wasm3StackCapacity: number;
  steps: BenchStep[];
  /** One step from θ₀ with gradient = adjoint (the JSON config's default in exact mode), and the plain-C steps beside it. */
  adjoint: AdjointRun;
  agree: boolean;
}

export interface AdjointRun {
  moduleInstructions: number;
  evals: number;
  /** Plain C, same adjoint algorithm, f32 amplitudes (soft-float on rv32imac). */
  referenceF32Instructions: number;
  /** Plain C, same adjoint algorithm, in the module's Q1.30 format. */
  referenceQ30Instructions: number;
  /** Plain C, parameter shift in Q1.30 (beside the f32 shift reference of `steps`). */
  shiftReferenceQ30Instructions: number;
  agree: boolean;
}

export class BenchOutputError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(`${message}\n--- bench output ---\n${output.trim()}`);
    this.name = 'BenchOutputError';
  }
}

function pairsOf(line: string): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const token of line.trim().split(/\s+/)) {
    const eq = token.indexOf('=');
    if (eq > 0) pairs.set(token.slice(0, eq), token.slice(eq + 1));
  }
  return pairs;
}

export function parseBenchOutput(output: string): BenchRun {
  const values = new Map<string, string>();
  const steps = new Map<number, Map<string, string>>();
  for (const line of output.split(/\r?\n/)) {
    const pairs = pairsOf(line);
    if (pairs.has('error')) throw new BenchOutputError(`the bench failed: ${line.trim()}`, output);
    const step = pairs.get('step');
    if (step !== undefined) {
      const merged = steps.get(Number(step)) ?? new Map();
      for (const [k, v] of pairs) merged.set(k, v);
      steps.set(Number(step), merged);
    } else {
      for (const [k, v] of pairs) values.set(k, v);
    }
  }
  if (!output.includes('bench_done')) throw new BenchOutputError('the bench did not finish (no bench_done line)', output);
  const number = (from: Map<string, string>, key: string): number => {
    const text = from.get(key);
    const value = Number(text);
    if (text === undefined || Number.isNaN(value)) throw new BenchOutputError(`bench output lacks a numeric ${key}`, output);
    return value;
  };
  return {
    qubits: number(values, 'qubits'),
    layers: number(values, 'layers'),
    params: number(values, 'params'),
    moduleBytes: number(values, 'module_bytes'),
    loadInstructions: number(values, 'load_instructions'),
    heapAfterLoad: number(values, 'heap_after_load'),
    heapPeak: number(values, 'heap_peak'),
    heapCapacity: number(values, 'heap_capacity'),
    stackPeak: number(values, 'stack_peak'),
    stackCapacity: number(values, 'stack_capacity'),
    wasm3StackPeak: number(values, 'wasm3_stack_peak'),
    wasm3StackCapacity: number(values, 'wasm3_stack_capacity'),
    agree: number(values, 'agree') === 1,
    adjoint: {
      moduleInstructions: number(values, 'adjoint_module_instructions'),
      evals: number(values, 'adjoint_evals'),
      referenceF32Instructions: number(values, 'adjoint_reference_f32_instructions'),
      referenceQ30Instructions: number(values, 'adjoint_reference_q30_instructions'),
      shiftReferenceQ30Instructions: number(values, 'shift_reference_q30_instructions'),
      agree: ['adjoint_reference_f32_agree', 'adjoint_reference_q30_agree', 'shift_reference_q30_agree'].every(
        (key) => number(values, key) === 1,
      ),
    },
    steps: [...steps.entries()]
      .sort(([a], [b]) => a - b)
      .map(([step, s]) => ({
        step,
        moduleInstructions: number(s, 'module_instructions'),
        referenceInstructions: number(s, 'reference_instructions'),
        evals: number(s, 'evals'),
        moduleLoss: number(s, 'module_loss'),
        referenceLoss: number(s, 'reference_loss'),
        moduleGradNorm: number(s, 'module_grad_norm'),
        referenceGradNorm: number(s, 'reference_grad_norm'),
        thetaGap: number(s, 'theta_gap'),
        agree: number(s, 'agree') === 1,
      })),
  };
}
