/**
 * Group commit: concurrent callers' items are handed to `flush` together, so N requests cost one database
 * statement and one broker round trip instead of N of each. While `maxInFlight` flushes run, new items
 * wait and form the next batch, so the batch size follows the load by itself: one item per flush when
 * idle (no added latency beyond a turn of the event loop), hundreds under load.
 *
 * `flush` answers one result per item, in order; an Error in that array rejects only its own caller, a
 * thrown error rejects the whole batch.
 */
export interface GroupCommitOptions {
  /** Items per flush at most. */
  readonly maxBatch: number;
  /** Flushes running at once (2 overlaps one batch's database write with the previous one's produce). */
  readonly maxInFlight: number;
}

interface Pending<TItem, TResult> {
  readonly item: TItem;
  readonly resolve: (result: TResult) => void;
  readonly reject: (error: Error) => void;
}

export class GroupCommit<TItem, TResult> {
  private readonly queue: Pending<TItem, TResult>[] = [];
  private inFlight = 0;
  private scheduled = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly flush: (items: readonly TItem[]) => Promise<readonly (TResult | Error)[]>,
    private readonly options: GroupCommitOptions,
  ) {
    if (options.maxBatch < 1 || options.maxInFlight < 1) throw new Error('GroupCommit: maxBatch and maxInFlight must be at least 1');
  }

  submit(item: TItem): Promise<TResult> {
    return new Promise<TResult>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Items waiting for a flush plus those in one. */
  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  /** Resolves once every item submitted so far has been flushed. */
  drain(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxInFlight) return;
    this.scheduled = true;
    // One turn of the event loop: requests parsed in the same turn join the same batch.
    setImmediate(() => {
      this.scheduled = false;
      this.run();
    });
  }

  private run(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight++;
      void this.flushBatch(batch).finally(() => {
        this.inFlight--;
        if (this.queue.length > 0) this.run();
        else if (this.inFlight === 0) for (const done of this.idle.splice(0)) done();
      });
    }
  }

  private async flushBatch(batch: readonly Pending<TItem, TResult>[]): Promise<void> {
    try {
      const results = await this.flush(batch.map((p) => p.item));
      if (results.length !== batch.length)
        throw new Error(`GroupCommit: flush answered ${results.length} results for ${batch.length} items`);
      batch.forEach((p, i) => {
        const result = results[i] as TResult | Error;
        if (result instanceof Error) p.reject(result);
        else p.resolve(result);
      });
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const p of batch) p.reject(failure);
    }
  }
}
