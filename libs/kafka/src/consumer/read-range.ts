import type { Admin, IncomingRecord, KafkaClient } from '../client/kafka-client.port';

export interface TopicRangeOptions {
  readonly topic: string;
  /**
   * A group of its own (unique per read): the port has no group-less consumer, so the reader borrows a fresh
   * group's assignment (one member gets every partition) and deletes the group afterwards. Nothing is committed.
   */
  readonly groupId: string;
  /** Where each partition starts (raised to its low watermark); a partition not given starts at its low watermark. */
  readonly from?: ReadonlyMap<number, bigint>;
  /**
   * Each batch of one partition in offset order, never two at once; the next batch waits for it. A rejection
   * ends the read with that error.
   */
  readonly onRecords: (partition: number, records: readonly IncomingRecord[]) => Promise<void>;
  /** Checked between batches: false ends the read early (complete: false). */
  readonly stillWanted?: () => boolean;
  /** Fails when no batch arrives for this long while records remain (the broker away); default 30 s. */
  readonly idleTimeoutMs?: number;
}

export interface TopicRangeResult {
  /** The high watermark of every partition when the read began: it read up to there, not further. */
  readonly ends: ReadonlyMap<number, bigint>;
  /** False when stopped early (stillWanted). */
  readonly complete: boolean;
}

/**
 * Reads a topic from the given positions up to the high watermarks of the moment it starts, batch by batch,
 * then stops. Records written meanwhile are left for the next read, so the read always ends.
 */
export async function readTopicRange(client: KafkaClient, admin: Admin, options: TopicRangeOptions): Promise<TopicRangeResult> {
  const { topic, onRecords } = options;
  const stillWanted = options.stillWanted ?? (() => true);
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  const next = new Map<number, bigint>();
  const ends = new Map<number, bigint>();
  for (const w of await admin.fetchOffsets(topic)) {
    const from = options.from?.get(w.partition) ?? w.low;
    next.set(w.partition, from > w.low ? from : w.low);
    ends.set(w.partition, w.high);
  }
  const remaining = () => [...next].filter(([partition, offset]) => offset < (ends.get(partition) ?? 0n)).length;
  if (remaining() === 0) return { ends, complete: true };

  let finished = false;
  let busy = false;
  let lastProgress = Date.now();
  let settle: { resolve: (complete: boolean) => void; reject: (error: Error) => void } = {
    resolve: () => undefined,
    reject: () => undefined,
  };
  const done = new Promise<boolean>((resolve, reject) => {
    settle = {
      resolve: (complete) => {
        finished = true;
        resolve(complete);
      },
      reject: (error) => {
        finished = true;
        reject(error);
      },
    };
  });
  const watchdog = setInterval(() => {
    if (finished || busy) return;
    if (!stillWanted()) settle.resolve(false);
    else if (Date.now() - lastProgress > idleTimeoutMs)
      settle.reject(new Error(`reading ${topic}: no records for ${idleTimeoutMs} ms while ${remaining()} partition(s) had some left`));
  }, 100);

  const consumer = client.batchConsumer();
  try {
    await consumer.start({
      groupId: options.groupId,
      topics: [topic],
      partitionsConsumedConcurrently: 1,
      onAssigned: async (assignment) =>
        (assignment.find((a) => a.topic === topic)?.partitions ?? []).map((partition) => ({
          topic,
          partition,
          offset: next.get(partition) ?? 0n,
        })),
      eachBatch: async (batch) => {
        if (finished) return;
        const start = next.get(batch.partition) ?? 0n;
        const end = ends.get(batch.partition) ?? 0n;
        // A seek that arrived after the first fetch: earlier records come first; records past the end wait for the next read.
        const records = batch.records.filter((r) => r.offset >= start && r.offset < end);
        const last = records[records.length - 1];
        // Retention deleted the rest of the range meanwhile (the consumer was reset past it): nothing left here.
        if (!last && batch.records.some((r) => r.offset >= end)) next.set(batch.partition, end);
        if (last) {
          if (!stillWanted()) return settle.resolve(false);
          busy = true;
          try {
            await onRecords(batch.partition, records);
          } catch (error) {
            return settle.reject(error instanceof Error ? error : new Error(String(error)));
          } finally {
            busy = false;
          }
          next.set(batch.partition, last.offset + 1n);
        }
        lastProgress = Date.now();
        if (remaining() === 0) settle.resolve(true);
      },
      onCrash: (error) => settle.reject(error),
    });
    return { ends, complete: await done };
  } finally {
    finished = true;
    clearInterval(watchdog);
    await consumer.stop();
    // Best effort: an empty group expires by itself (offsets.retention) if this fails.
    await admin.deleteGroups([options.groupId]).catch(() => undefined);
  }
}
