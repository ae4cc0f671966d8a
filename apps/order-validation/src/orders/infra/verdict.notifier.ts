/**
 * In-process signal from the orders processor to the HTTP requests waiting for a verdict
 * (GET /orders/:id?waitMs=). A hint only: it fires when the processor has written verdicts in its
 * transaction, which may not have committed yet, so waiters re-read the database and keep their own
 * bounded polling as the source of truth.
 */
export class VerdictNotifier {
  private readonly listeners = new Set<(orderIds: readonly string[]) => void>();

  subscribe(listener: (orderIds: readonly string[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(orderIds: readonly string[]): void {
    if (orderIds.length === 0) return;
    for (const listener of this.listeners) listener(orderIds);
  }
}
