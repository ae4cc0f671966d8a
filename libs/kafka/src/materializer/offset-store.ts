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

/** View and topic names as moveForward writes them into its SQL: a Kafka topic's legal characters, and ':'. */
const PLAIN_NAME = /^[A-Za-z0-9._:-]+$/;

export class OffsetStore {
  private readonly viewLiteral: string;
  private readonly topicLiteral: string;

  constructor(
    private readonly view: string,
    private readonly topic: string,
  ) {
    for (const name of [view, topic]) {
      if (!PLAIN_NAME.test(name)) throw new Error(`"${name}": view and topic names are letters, digits and . _ : -`);
    }
    this.viewLiteral = `'${view}'`;
    this.topicLiteral = `'${topic}'`;
  }

  async load(db: SqlExecutor): Promise<StoredPosition[]> {
    const rows = await db.$queryRawUnsafe<{ partition: number; next_offset: string; updated_at: Date }[]>(
      `SELECT partition, next_offset::text AS next_offset, updated_at FROM ${OFFSETS_TABLE} WHERE view = $1 AND topic = $2`,
      this.view,
      this.topic,
    );
    return rows.map((r) => ({ partition: Number(r.partition), nextOffset: BigInt(r.next_offset), updatedAt: new Date(r.updated_at) }));
  }

  /**
   * Locks this partition's position for the rest of the transaction, moves it forward to `next` (never
   * back) and returns where it was. Two members that both believe they own the partition (during a
   * rebalance) serialize here, and the second one sees how far the first got; the caller rolls back when
   * that is not what it expected. Moving before applying is safe: the view's rows and its position commit
   * or roll back together. One statement (PostgreSQL 18's RETURNING old), with its values written as
   * literals: a transaction's first statement without parameters travels with its BEGIN (@shop/db's
   * PgDatabase), so a view transaction costs BEGIN + this, its apply, and COMMIT: no round trip more.
   * `asynchronousCommit`: the transaction also stops waiting for its WAL flush at commit
   * (`synchronous_commit = off` for this transaction only), set in the same statement.
   */
  async moveForward(tx: SqlExecutor, partition: number, next: bigint, options: { asynchronousCommit?: boolean } = {}): Promise<bigint> {
    if (!Number.isInteger(partition) || partition < 0) throw new Error(`not a partition: ${partition}`);
    const rows = await tx.$queryRawUnsafe<{ stored: string }[]>(
      `INSERT INTO ${OFFSETS_TABLE} AS o (view, topic, partition, next_offset, updated_at)
       VALUES (${this.viewLiteral}, ${this.topicLiteral}, ${partition}, ${next.toString()}, now())
       ON CONFLICT (view, topic, partition) DO UPDATE
         SET next_offset = GREATEST(o.next_offset, EXCLUDED.next_offset),
             updated_at = CASE WHEN EXCLUDED.next_offset > o.next_offset THEN now() ELSE o.updated_at END
       RETURNING COALESCE(old.next_offset, 0)::text AS stored${options.asynchronousCommit ? ", set_config('synchronous_commit', 'off', true) AS commit_mode" : ''}`,
    );
    return BigInt(rows[0]?.stored ?? '0');
  }

  async clear(tx: SqlExecutor): Promise<void> {
    await tx.$executeRawUnsafe(`DELETE FROM ${OFFSETS_TABLE} WHERE view = $1 AND topic = $2`, this.view, this.topic);
  }
}
