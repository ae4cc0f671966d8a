/**
 * How many copies of every partition the cluster keeps, and how many must have a write before it is
 * acknowledged. They belong to the cluster, not to a topic's meaning, so they come from the environment
 * (the catalogue says what a topic is; a deployment says how safely it is stored):
 *
 *   KAFKA_REPLICATION_FACTOR   copies of each partition (1 on one broker, 3 on a cluster). Unset: the broker's
 *                              default.replication.factor (the local infra's profiles set it: 1 or 3).
 *   KAFKA_MIN_INSYNC_REPLICAS  with acks=all (our producers), a write needs this many in-sync copies, else the
 *                              broker refuses it (NOT_ENOUGH_REPLICAS) instead of acknowledging a write that one
 *                              more failure would lose. Unset: 2 when the factor is 3 or more, else 1; unset with
 *                              no factor either: the broker's min.insync.replicas.
 *
 * Not derived from the number of brokers a client sees: a broker that is down at that moment would make a
 * service create under-replicated topics for good.
 */
export interface TopicReplication {
  /** Copies of each partition; undefined: the broker's default.replication.factor. */
  readonly replicationFactor?: number;
  /** Topic-level min.insync.replicas; undefined: the broker's default. */
  readonly minInsyncReplicas?: number;
}

export class ReplicationConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplicationConfigError';
  }
}

/** Kafka's own bound for a replication factor (a 16-bit field in CreateTopics). */
const MAX_REPLICAS = 32_767;

function replicaCount(name: string, raw: string | undefined): number | undefined {
  const text = raw?.trim();
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1 || value > MAX_REPLICAS) {
    throw new ReplicationConfigError(`${name} must be a whole number from 1 to ${MAX_REPLICAS} (got "${raw}")`);
  }
  return value;
}

/** The min.insync.replicas that goes with a replication factor: one copy may be lost without refusing writes. */
export function defaultMinInsyncReplicas(replicationFactor: number): number {
  return Math.max(1, Math.min(2, replicationFactor - 1));
}

/** Reads and checks KAFKA_REPLICATION_FACTOR and KAFKA_MIN_INSYNC_REPLICAS; throws ReplicationConfigError. */
export function topicReplicationFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): TopicReplication {
  const replicationFactor = replicaCount('KAFKA_REPLICATION_FACTOR', env['KAFKA_REPLICATION_FACTOR']);
  const explicitMin = replicaCount('KAFKA_MIN_INSYNC_REPLICAS', env['KAFKA_MIN_INSYNC_REPLICAS']);
  if (replicationFactor !== undefined && explicitMin !== undefined && explicitMin > replicationFactor) {
    throw new ReplicationConfigError(
      `KAFKA_MIN_INSYNC_REPLICAS (${explicitMin}) is more than KAFKA_REPLICATION_FACTOR (${replicationFactor}): no write could ever be acknowledged`,
    );
  }
  const minInsyncReplicas = explicitMin ?? (replicationFactor === undefined ? undefined : defaultMinInsyncReplicas(replicationFactor));
  return {
    ...(replicationFactor === undefined ? {} : { replicationFactor }),
    ...(minInsyncReplicas === undefined ? {} : { minInsyncReplicas }),
  };
}
