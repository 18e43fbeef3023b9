"""What the Python peers of `make bench` share: the request loop (one JSON request per stdin
line, one answer per stdout line, errors answered, not raised) and the self-timed step loop."""
import json
import sys
import time


def time_steps(step, min_seconds, max_steps):
    """Runs step() until min_seconds passed or max_steps ran; step returns the loss."""
    steps, loss = 0, float("nan")
    start = time.perf_counter_ns()
    while True:
        loss = step()
        steps += 1
        elapsed = (time.perf_counter_ns() - start) / 1e9
        if elapsed >= min_seconds or steps >= max_steps:
            break
    return {"steps": steps, "seconds": elapsed, "loss": float(loss)}


def serve(handle):
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            answer = handle(json.loads(line))
        except Exception as error:  # the harness reports it with the request
            answer = {"error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
