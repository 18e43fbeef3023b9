// A contender living in its own process, answering one JSON request per line:
// its timing runs on its own heap and interpreter, and stays alive between
// samples so that samples of all contenders can interleave.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

interface Waiter {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  what: string;
}

export class JsonLinesWorker {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending: Waiter[] = [];
  private stderr = '';
  private exited: string | null = null;

  constructor(
    private readonly name: string,
    command: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => this.answer(line));
    const fail = (why: string) => {
      this.exited = why;
      for (const w of this.pending.splice(0)) w.reject(new Error(`${this.name} worker ${why} during ${w.what}: ${this.stderr.trim()}`));
    };
    this.child.on('error', (e) => fail(`could not start (${e.message})`));
    this.child.on('exit', (code, signal) => fail(`exited (code ${code}, signal ${signal})`));
  }

  private answer(line: string): void {
    const waiter = this.pending.shift();
    if (!waiter) return;
    let parsed: { error?: string };
    try {
      parsed = JSON.parse(line);
    } catch {
      waiter.reject(new Error(`${this.name} worker answered ${waiter.what} with non-JSON: ${line.slice(0, 200)}`));
      return;
    }
    if (parsed.error) waiter.reject(new Error(`${this.name} worker failed ${waiter.what}: ${parsed.error}`));
    else waiter.resolve(parsed);
  }

  request<T>(payload: Record<string, unknown>): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.name} worker ${this.exited}: ${this.stderr.trim()}`));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ resolve: resolve as (v: unknown) => void, reject, what: String(payload.op) });
      this.child.stdin.write(JSON.stringify(payload) + '\n');
    });
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    await done;
  }
}
