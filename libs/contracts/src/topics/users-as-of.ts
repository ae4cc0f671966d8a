/**
 * Which version of each user a stream record joins with: the record header `users-as-of`.
 *
 * A stream–table join is exact on every replay only if the table's side is chosen by something in the log,
 * not by what the table holds when the record happens to be processed. The front door reads the `users`
 * topic's high watermarks when it accepts an order and writes them on the OrderPlaced; every event derived
 * from the order carries the same header. A join then takes, for a user id, the latest record of the
 * user's partition below that partition's watermark (a tombstone there: no user). Live processing and any
 * later rebuild pick the same version.
 *
 * Records written without the header (OrderPlaced v1 history, events from before the header existed) join
 * as of their own timestamp: the latest user record whose timestamp is at most the record's. That is exact
 * on replay too, but live processing may miss a user change that reached the topic after the record was
 * processed though it was stamped before it (change data capture lag): the documented limit of old records.
 *
 * Encoded as `w:<hw of partition 0>,<hw of partition 1>,…` or `t:<epoch ms>`.
 */
export const USERS_AS_OF_HEADER = 'users-as-of';

export type UsersAsOf =
  { readonly kind: 'watermarks'; readonly watermarks: readonly bigint[] } | { readonly kind: 'timestamp'; readonly timestamp: number };

/**
 * How long a superseded user version stays available to joins (7 days): the users topic keeps a record at
 * least this long after the record that replaced it was written (min.compaction.lag.ms: the log cleaner
 * compacts only records older than the lag, and only against records older than the lag), and the
 * versioned users views keep superseded versions as long. A rebuild is exact for every record whose user
 * version was replaced less than this long ago, so for every order placed within it.
 */
export const USERS_HISTORY_MS = 7 * 24 * 3600 * 1000;

export function encodeUsersAsOf(asOf: UsersAsOf): string {
  return asOf.kind === 'watermarks' ? `w:${asOf.watermarks.join(',')}` : `t:${asOf.timestamp}`;
}

const WATERMARKS = /^w:\d{1,19}(,\d{1,19})*$/;
const TIMESTAMP = /^t:\d{1,16}$/;

/** Throws a readable error for anything else than what encodeUsersAsOf writes. */
export function decodeUsersAsOf(text: string): UsersAsOf {
  if (WATERMARKS.test(text)) return { kind: 'watermarks', watermarks: text.slice(2).split(',').map(BigInt) };
  if (TIMESTAMP.test(text)) return { kind: 'timestamp', timestamp: Number(text.slice(2)) };
  throw new Error(`header ${USERS_AS_OF_HEADER} is not "w:<offsets>" or "t:<epoch ms>": ${JSON.stringify(text.slice(0, 100))}`);
}

/** The high watermarks by partition, in partition order, as the header carries them. */
export function watermarksAsOf(offsets: readonly { readonly partition: number; readonly high: bigint }[]): UsersAsOf {
  const sorted = [...offsets].sort((a, b) => a.partition - b.partition);
  sorted.forEach((o, i) => {
    if (o.partition !== i)
      throw new Error(`users topic partitions are not 0…${sorted.length - 1}: ${sorted.map((s) => s.partition).join(',')}`);
  });
  return { kind: 'watermarks', watermarks: sorted.map((o) => o.high) };
}
