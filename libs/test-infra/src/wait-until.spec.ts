import { waitUntil } from './wait-until';

describe('waitUntil', () => {
  it('resolves with the first value that is neither undefined nor false', async () => {
    let calls = 0;
    const value = await waitUntil(
      () => {
        calls += 1;
        return calls < 3 ? undefined : { calls };
      },
      { description: 'the third call', intervalMs: 1 },
    );
    expect(value).toEqual({ calls: 3 });
  });

  it('resolves at once when the condition already holds (no fixed sleep)', async () => {
    const started = Date.now();
    await expect(waitUntil(async () => 'ready', { description: 'ready', intervalMs: 5_000 })).resolves.toBe('ready');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('accepts 0 and empty string as values', async () => {
    await expect(waitUntil(() => 0, { description: 'zero' })).resolves.toBe(0);
    await expect(waitUntil(() => '', { description: 'empty' })).resolves.toBe('');
  });

  it('retries a probe that throws', async () => {
    let calls = 0;
    const value = await waitUntil(
      async () => {
        calls += 1;
        if (calls < 3) throw new Error('not connected');
        return true;
      },
      { description: 'connection', intervalMs: 1 },
    );
    expect(value).toBe(true);
    expect(calls).toBe(3);
  });

  it('times out with the description and the last value', async () => {
    await expect(waitUntil(() => false, { description: 'order o-1 to be shipped', timeoutMs: 50, intervalMs: 5 })).rejects.toThrow(
      /waiting for order o-1 to be shipped; last value: false/,
    );
  });

  it('times out with the last error and keeps it as cause', async () => {
    const boom = new Error('relation "shipments" does not exist');
    const failure = await waitUntil(
      () => {
        throw boom;
      },
      { description: 'the shipment row', timeoutMs: 50, intervalMs: 5 },
    ).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/the shipment row; last error: Error: relation "shipments" does not exist/);
    expect((failure as Error).cause).toBe(boom);
  });

  it('does not hang on a probe that never settles', async () => {
    const started = Date.now();
    await expect(waitUntil(() => new Promise<boolean>(() => undefined), { description: 'a hung probe', timeoutMs: 100 })).rejects.toThrow(
      /a hung probe; the probe never completed/,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
