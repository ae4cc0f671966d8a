import { decodeUsersAsOf, USERS_AS_OF_HEADER, type UsersAsOf } from '@shop/contracts';
import { firstPerKey } from './first-per-key';
import type { ViewRecord } from './materializer';
import { UnprocessableRecordError } from './record-errors';

/**
 * The position of the users table a stream record joins at: its `users-as-of` header, or (a record written
 * without one) its own timestamp. A header that cannot be read is the record's fault: it is dead-lettered.
 */
export function usersAsOfOf(record: Pick<ViewRecord<unknown>, 'headers' | 'timestamp' | 'partition' | 'offset'>): UsersAsOf {
  const header = record.headers[USERS_AS_OF_HEADER];
  if (header === undefined) return { kind: 'timestamp', timestamp: record.timestamp };
  try {
    return decodeUsersAsOf(header);
  } catch (error) {
    throw new UnprocessableRecordError(`record at p${record.partition}@${record.offset}: ${(error as Error).message}`);
  }
}

/** The join position of the first record of every key (the record a processor reads and answers). */
export function usersAsOfByKey(records: readonly ViewRecord<unknown>[]): Map<string, UsersAsOf> {
  return new Map(
    firstPerKey(
      records.filter((r) => r.value !== null),
      (r) => r.key,
    ).map((r) => [r.key, usersAsOfOf(r)]),
  );
}

/**
 * What the users view must hold before the records at `positions` can be joined: the highest watermark of
 * each partition when every position is a set of watermarks; undefined when one is a timestamp (then only
 * "everything on the topic now" is enough).
 */
export function usersCatchUpTargets(positions: Iterable<UsersAsOf>): { partition: number; offset: bigint }[] | undefined {
  const highest: bigint[] = [];
  for (const position of positions) {
    if (position.kind !== 'watermarks') return undefined;
    position.watermarks.forEach((w, partition) => {
      if (highest[partition] === undefined || w > (highest[partition] as bigint)) highest[partition] = w;
    });
  }
  return highest.map((offset, partition) => ({ partition, offset }));
}
