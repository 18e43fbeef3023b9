import { describe, expect, it } from 'vitest';
import { BoardSilentError, pollUntilAnswered } from './hello-poll.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('pollUntilAnswered', () => {
  it('repeats the request until the answer arrives, then never again', async () => {
    const sentAt: number[] = [];
    let answer!: (v: string) => void;
    const answered = new Promise<string>((r) => (answer = r));
    const start = Date.now();
    const result = pollUntilAnswered(async () => void sentAt.push(Date.now() - start), answered, {
      intervalMs: 20,
      timeoutMs: 2_000,
    });
    await sleep(110);
    answer('INFO');
    await expect(result).resolves.toBe('INFO');
    const sentBeforeAnswer = sentAt.length;
    // One immediately, then one per interval: ~110 ms / 20 ms → 5 or 6 (timer jitter).
    expect(sentBeforeAnswer).toBeGreaterThanOrEqual(4);
    expect(sentBeforeAnswer).toBeLessThanOrEqual(7);
    expect(sentAt[0]).toBeLessThan(15);
    await sleep(100);
    expect(sentAt.length).toBe(sentBeforeAnswer);
  });

  it('gives up after the timeout, naming the attempts and what the board said', async () => {
    let sends = 0;
    const never = new Promise<never>(() => {});
    const error = await pollUntilAnswered(async () => void sends++, never, {
      intervalMs: 25,
      timeoutMs: 130,
      describeSilence: () => 'the board printed "waiting for download"',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BoardSilentError);
    const silent = error as BoardSilentError;
    expect(silent.attempts).toBe(sends);
    expect(sends).toBeGreaterThanOrEqual(4);
    expect(silent.message).toMatch(new RegExp(`^no answer to ${sends} HELLO requests in \\d+ ms: the board printed "waiting for download"$`));
    await sleep(80);
    expect(sends).toBe(silent.attempts);
  });

  it('stops at the first failed send and reports its error', async () => {
    let sends = 0;
    const never = new Promise<never>(() => {});
    await expect(
      pollUntilAnswered(async () => {
        sends++;
        throw new Error('write EIO');
      }, never, { intervalMs: 10, timeoutMs: 500 }),
    ).rejects.toThrow('write EIO');
    await sleep(40);
    expect(sends).toBe(1);
  });
});
