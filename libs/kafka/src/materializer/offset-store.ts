import type { SqlExecutor } from './sql-executor';

/**
 * Consumer positions of the views, kept in the view's own database so that a view's rows and its
 * position change in one transaction. Every service's schema.prisma carries this model:
 *
 *   model KafkaConsumerOffset {
 *     view       String
 *     topic      String
 *     partition  Int
 *     nextOffset BigInt   @map("next_offset")
 *     updatedAt  DateTime @default(now()) @updatedAt @map("updated_at") @db.Timestamptz(3)
 *     @@id([view, topic, partition])
 *     @@map("kafka_consumer_offsets")
 *   }
 */
export const OFFSETS_TABLE = 'kafka_consumer_offsets';

export interface StoredPosition {
  readonly partition: number;
  readonly nextOffset: bigint;
  readonly updatedAt: Date;
}

export class OffsetStore {
  constructor(
    private readonly view: string,
    private readonly topic: string,
  ) {}

  async load(db: SqlExecutor): Promise<StoredPosition[]> {
    const rows = await db.$queryRawUnsafe<{ partition: number; next_offset: string; updated_at: Date }[]>(
      `SELECT partition, next_offset::text AS next_offset, updated_at FROM ${OFFSETS_TABLE} WHERE view = $1 AND topic = $2`,
      this.view,
      this.topic,
    );
    return rows.map((r) => ({ partition: Number(r.partition), nextOffset: BigInt(r.next_offset), updatedAt: new Date(r.updated_at) }));
  }

  /**
   * Locks this partition's position for the rest of the transaction and returns it. Two members that
   * both believe they own the partition (during a rebalance) serialize here, and the second one sees
   * how far the first got. `asynchronousCommit`: the transaction also stops waiting for its WAL flush at
   * commit (`synchronous_commit = off` for this transaction only), set in the same statement: one round
   * trip fewer than a SET LOCAL of its own, on every view transaction.
   */
  async lock(tx: SqlExecutor, partition: number, options: { asynchronousCommit?: boolean } = {}): Promise<bigint> {
    const rows = await tx.$queryRawUnsafe<{ next_offset: string }[]>(
      `INSERT INTO ${OFFSETS_TABLE} (view, topic, partition, next_offset, updated_at) VALUES ($1, $2, $3::int, 0, now())
       ON CONFLICT (view, topic, partition) DO UPDATE SET view = EXCLUDED.view
       RETURNING next_offset::text AS next_offset${options.asynchronousCommit ? ", set_config('synchronous_commit', 'off', true) AS commit_mode" : ''}`,
      this.view,
      this.topic,
      String(partition),
    );
    return BigInt(rows[0]?.next_offset ?? '0');
  }

  async advance(tx: SqlExecutor, partition: number, nextOffset: bigint): Promise<void> {
    await tx.$executeRawUnsafe(
      `UPDATE ${OFFSETS_TABLE} SET next_offset = $4::bigint, updated_at = now() WHERE view = $1 AND topic = $2 AND partition = $3::int`,
      this.view,
      this.topic,
      String(partition),
      nextOffset.toString(),
    );
  }

  async clear(tx: SqlExecutor): Promise<void> {
    await tx.$executeRawUnsafe(`DELETE FROM ${OFFSETS_TABLE} WHERE view = $1 AND topic = $2`, this.view, this.topic);
  }
}
