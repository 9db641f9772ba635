import { Deadline } from '../../src/core/deadline';
import { INITIAL_RETRY_DELAY_MS, MAX_ATTEMPTS, MAX_RETRY_DELAY_MS, MIN_ATTEMPT_TIME_MS, retry, retryDelayMs, RetryExhaustedError } from '../../src/core/retry';

describe('retryDelayMs: exponential waits with equal jitter, capped', () => {
  it.each([
    [1, 0, 125],
    [1, 0.999, 250],
    [2, 0, 250],
    [2, 0.5, 375],
    [3, 0, 500],
    [3, 0.999, 1_000],
    [4, 0, 1_000],
    [5, 0.999, 1_999],
    [6, 0, 1_000],
    [9, 0.5, 1_500],
  ])('attempt %i with jitter %f waits %i ms', (attempt, jitter, expected) => {
    expect(retryDelayMs(attempt, () => jitter)).toBe(expected);
  });

  it('never waits more than MAX_RETRY_DELAY_MS or less than half the first ceiling', () => {
    for (let attempt = 1; attempt <= 20; attempt++) {
      for (const jitter of [0, 0.25, 0.5, 0.999]) {
        const delay = retryDelayMs(attempt, () => jitter);
        expect(delay).toBeLessThanOrEqual(MAX_RETRY_DELAY_MS);
        expect(delay).toBeGreaterThanOrEqual(INITIAL_RETRY_DELAY_MS / 2);
      }
    }
  });
});

describe('retry', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const retryable = { retryable: true, retryAfterMs: undefined };
  const permanent = { retryable: false, retryAfterMs: undefined };

  async function play(failures: number, advice: { retryable: boolean; retryAfterMs: number | undefined }, deadlineMs = 10_000) {
    const deadline = new Deadline(deadlineMs);
    const startedAt: number[] = [];
    const attempt = jest.fn(async (attemptNumber: number) => {
      startedAt.push(deadlineMs - deadline.remainingMs());
      if (attemptNumber <= failures) throw new Error(`failure ${attemptNumber}`);
      return `value ${attemptNumber}`;
    });
    const running = retry(attempt, { deadline, advise: () => advice, random: () => 0 }).then(
      (result) => ({ result, error: undefined }),
      (error: unknown) => ({ result: undefined, error }),
    );
    await jest.advanceTimersByTimeAsync(deadlineMs);
    return { ...(await running), attempt, startedAt };
  }

  it('returns the value and the number of attempts it took', async () => {
    const { result, startedAt } = await play(2, retryable);
    expect(result).toEqual({ value: 'value 3', attempts: 3 });
    expect(startedAt).toEqual([0, 125, 375]);
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts with the last error, untouched, and its count`, async () => {
    const { error, attempt } = await play(99, retryable);
    expect(attempt).toHaveBeenCalledTimes(MAX_ATTEMPTS);
    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect(error).toMatchObject({ name: 'RetryExhaustedError', attempts: MAX_ATTEMPTS, lastError: new Error(`failure ${MAX_ATTEMPTS}`), message: `gave up after ${MAX_ATTEMPTS} attempts` });
  });

  it('never retries what cannot heal', async () => {
    const { error, attempt } = await play(99, permanent);
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(error).toMatchObject({ attempts: 1, message: 'gave up after 1 attempt' });
  });

  it('waits what Retry-After asks when it is longer than the backoff', async () => {
    const { startedAt } = await play(1, { retryable: true, retryAfterMs: 2_500 });
    expect(startedAt).toEqual([0, 2_500]);
  });

  it('waits the backoff when Retry-After asks for less', async () => {
    const { startedAt } = await play(1, { retryable: true, retryAfterMs: 10 });
    expect(startedAt).toEqual([0, 125]);
  });

  it('does not wait when the wait would leave less than MIN_ATTEMPT_TIME_MS', async () => {
    const { error, attempt } = await play(99, { retryable: true, retryAfterMs: 10_000 - MIN_ATTEMPT_TIME_MS + 1 });
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(error).toMatchObject({ attempts: 1 });
  });

  it('still waits when exactly MIN_ATTEMPT_TIME_MS is left after the wait', async () => {
    const { attempt, startedAt } = await play(1, { retryable: true, retryAfterMs: 10_000 - MIN_ATTEMPT_TIME_MS });
    expect(attempt).toHaveBeenCalledTimes(2);
    expect(startedAt).toEqual([0, 10_000 - MIN_ATTEMPT_TIME_MS]);
  });
});

describe('Deadline', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('counts down from its budget and never below zero', () => {
    let now = 1_000;
    const deadline = new Deadline(500, () => now);
    expect(deadline.remainingMs()).toBe(500);
    expect(deadline.elapsedMs()).toBe(0);
    now += 200;
    expect(deadline.remainingMs()).toBe(300);
    expect(deadline.elapsedMs()).toBe(200);
    now += 1_000;
    expect(deadline.remainingMs()).toBe(0);
    expect(deadline.elapsedMs()).toBe(1_200);
  });

  it('sleeps no longer than the time left', async () => {
    const deadline = new Deadline(300);
    let woke = false;
    void deadline.sleep(5_000).then(() => (woke = true));
    await jest.advanceTimersByTimeAsync(299);
    expect(woke).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(woke).toBe(true);
  });

  it('settles a race with the work when it comes first, and clears its timer', async () => {
    const deadline = new Deadline(1_000);
    await expect(deadline.race(Promise.resolve('done'), () => new Error('late'))).resolves.toBe('done');
    await expect(deadline.race(Promise.reject(new Error('failed')), () => new Error('late'))).rejects.toThrow('failed');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects a race at the deadline with what onExpiry makes, and swallows a late rejection of the work', async () => {
    const deadline = new Deadline(1_000);
    let rejectWork: (error: Error) => void = () => undefined;
    const work = new Promise<string>((_resolve, reject) => (rejectWork = reject));
    const racing = deadline.race(work, () => new Error('deadline'));
    const outcome = racing.catch((error: unknown) => error);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(await outcome).toEqual(new Error('deadline'));
    rejectWork(new Error('late'));
    await jest.advanceTimersByTimeAsync(0);
  });
});
