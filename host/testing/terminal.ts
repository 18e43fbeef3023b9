// Runs the CLI in a real terminal (Python's pty module: an independent driver) and
// types keys: each step waits for a text in the output, then sends its bytes.
import { spawnSync } from 'node:child_process';
import { QIOT_CLI } from './harness.ts';

const DRIVER = `
import json, os, pty, sys, time
steps = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.environ.pop("NO_COLOR", None)
    os.execv(sys.argv[2], sys.argv[2:])
out = b""
for wait_for, send in steps:
    deadline = time.time() + 60
    while wait_for.encode() not in out and time.time() < deadline:
        out += os.read(fd, 4096)
    os.write(fd, send.encode())
try:
    while True:
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        out += chunk
except OSError:
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
`;

/** Output (terminal echo included) and exit status of `qiot ARGS` driven by `steps`. */
export function qiotInTerminal(args: string[], steps: [waitFor: string, send: string][]): { stdout: string; status: number | null } {
  const r = spawnSync('python3', ['-c', DRIVER, JSON.stringify(steps), process.execPath, QIOT_CLI, ...args], {
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { stdout: r.stdout, status: r.status };
}
