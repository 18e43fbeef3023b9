// Runs the CLI (or a shell line around it) in a real terminal (Python's pty module: an
// independent driver) and types keys: each step waits for a text in the output after the
// previous step's text, then sends its bytes.
import { spawnSync } from 'node:child_process';
import { QIOT_CLI } from './harness.ts';

const DRIVER = `
import json, os, pty, select, signal, sys, time
steps = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    # A user's terminal emulator: it names a colour terminal, and the variables that turn
    # Node's colour support off (CI machines set CI; some set NO_COLOR or TERM=dumb) are unset.
    for name in ("NO_COLOR", "NODE_DISABLE_COLORS", "FORCE_COLOR", "CI"):
        os.environ.pop(name, None)
    os.environ["TERM"] = "xterm-256color"
    os.execv(sys.argv[2], sys.argv[2:])
out = b""
def give_up(why):
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    sys.stdout.write(out.decode(errors="replace") + "\\n[terminal driver: " + why + "]\\n")
    sys.exit(124)
def read_until(deadline):
    global out
    remaining = deadline - time.time()
    if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
        return False
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        chunk = b""
    out += chunk
    return bool(chunk)
seen = 0
for wait_for, send in steps:
    deadline = time.time() + 120
    while out.find(wait_for.encode(), seen) < 0:
        if not read_until(deadline):
            give_up("no " + repr(wait_for) + " within 120 s")
    seen = out.find(wait_for.encode(), seen) + len(wait_for.encode())
    if send:
        os.write(fd, send.encode())
deadline = time.time() + 120
while read_until(deadline):
    pass
if time.time() >= deadline:
    give_up("the command did not end within 120 s")
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
`;

type Steps = [waitFor: string, send: string][];

/** Output (terminal echo included) and exit status of the program `argv` run in a terminal, driven by `steps`. */
export function inTerminal(argv: string[], steps: Steps): { stdout: string; status: number | null } {
  const r = spawnSync('python3', ['-c', DRIVER, JSON.stringify(steps), ...argv], {
    encoding: 'utf8',
    timeout: 400_000,
  });
  return { stdout: r.stdout, status: r.status };
}

/** Output (terminal echo included) and exit status of `qiot ARGS` driven by `steps`. */
export function qiotInTerminal(args: string[], steps: Steps): { stdout: string; status: number | null } {
  return inTerminal([process.execPath, QIOT_CLI, ...args], steps);
}

/** `sh -c SCRIPT` in a terminal, where the script runs the CLI as `qiot` (e.g. `qiot monitor …; stty -a`). */
export function shellInTerminal(script: string, steps: Steps): { stdout: string; status: number | null } {
  return inTerminal(
    ['/bin/sh', '-c', `node="$0"; cli="$1"; qiot() { "$node" "$cli" "$@"; }; ${script}`, process.execPath, QIOT_CLI],
    steps,
  );
}
