// The training progress bar in a real terminal (Python's pty): it shows a rate and an
// ETA, and Ctrl-C clears the bar's line before its message (no garbled line).
import { describe, expect, it } from 'vitest';
import { REPO } from '../../testing/harness.ts';
import { qiotInTerminal } from '../../testing/terminal.ts';
import { join } from 'node:path';

describe('progress bar', () => {
  it('shows steps/s and ETA; Ctrl-C clears the line and exits 130', () => {
    const r = qiotInTerminal(
      ['sim', '--config', join(REPO, 'examples/iris-nlr.json'), '--steps', '1000000', '--out', '/dev/null', '--force', '--no-chart'],
      [['ETA', '\u0003']],
    );
    expect(r.stdout).toMatch(/\d+\/1000000 \| [\d.]+ steps\/s \| ETA \S+ \| mini-batch loss [\d.]+/);
    // The message starts on a cleared line: carriage return + erase line, then the text.
    expect(r.stdout).toContain('\r\u001b[2Kqiot: SIGINT — stopping after the current step');
    expect(r.status).toBe(130);
  }, 300_000);
});
