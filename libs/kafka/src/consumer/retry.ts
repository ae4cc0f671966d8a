export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 3, initialDelayMs: 50, maxDelayMs: 2000 };

export class RetriesExhaustedError extends Error {
  constructor(
    readonly lastError: Error,
    readonly attempts: number,
  ) {
    super(lastError.message);
    this.name = lastError.name;
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * Runs `work` up to `policy.attempts` times with exponential backoff. Errors for which `isRetriable`
 * says no are not retried. Throws RetriesExhaustedError carrying the last error and the attempt count.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  work: (attempt: number) => Promise<T>,
  isRetriable: (error: Error) => boolean = () => true,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (caught) {
      const error = asError(caught);
      if (attempt >= policy.attempts || !isRetriable(error)) throw new RetriesExhaustedError(error, attempt);
      await delay(Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1)));
    }
  }
}
