import { RetriesExhaustedError, withRetries } from './retry';

const fast = { attempts: 3, initialDelayMs: 1, maxDelayMs: 2 };

describe('withRetries', () => {
  it('returns the first success', async () => {
    let calls = 0;
    const value = await withRetries(fast, async () => {
      calls++;
      if (calls < 3) throw new Error('transient');
      return 'ok';
    });
    expect(value).toBe('ok');
    expect(calls).toBe(3);
  });

  it('gives up after the bounded number of attempts with the last error', async () => {
    let calls = 0;
    const failure = withRetries(fast, async () => {
      calls++;
      throw new Error(`failure ${calls}`);
    });
    await expect(failure).rejects.toBeInstanceOf(RetriesExhaustedError);
    await expect(failure).rejects.toMatchObject({ attempts: 3, lastError: { message: 'failure 3' } });
    expect(calls).toBe(3);
  });

  it('does not retry what is not retriable', async () => {
    let calls = 0;
    const failure = withRetries(
      fast,
      async () => {
        calls++;
        throw new TypeError('bad input');
      },
      (error) => !(error instanceof TypeError),
    );
    await expect(failure).rejects.toMatchObject({ attempts: 1 });
    expect(calls).toBe(1);
  });
});
