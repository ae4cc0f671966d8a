import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  CompressionTypes,
  ConfigResourceTypes,
  Kafka,
  Partitioners,
  ResourcePatternTypes,
  logLevel,
  type AclEntry,
  type Consumer,
  type ICustomPartitioner,
  type IHeaders,
  type Producer as KafkajsProducer,
  type KafkaMessage,
  type LogEntry,
  type SASLOptions,
} from 'kafkajs';
import type {
  AclBinding,
  Admin,
  BatchConsumer,
  BatchConsumerOptions,
  Headers,
  IncomingRecord,
  KafkaClient,
  MessageConsumer,
  MessageConsumerOptions,
  OutgoingRecord,
  PartitionBatch,
  Producer,
  TopicSpec,
} from './kafka-client.port';
import {
  TopicsWithoutLeaderError,
  UnacknowledgedPartitionsError,
  isRebalanceError,
  isRetriableKafkaError,
  isTopicAlreadyExists,
  withTopicErrors,
  retryKafka,
  unacknowledgedPartitions,
} from './kafkajs-errors';
import type { KafkaSecurity } from './kafka-security';

/**
 * Connects a kafkajs client, and closes what it opened when that fails: kafkajs leaves the sockets of a refused
 * connect (a producer denied its producer id, a wrong password) open until the broker drops idle connections, 10
 * minutes later, and the process cannot exit meanwhile.
 */
async function connectOrRelease(client: { connect(): Promise<void>; disconnect(): Promise<void> }): Promise<void> {
  try {
    await client.connect();
  } catch (error) {
    await client.disconnect().catch(() => undefined);
    throw error;
  }
}

export interface KafkaConnectionConfig {
  readonly clientId: string;
  readonly brokers: readonly string[];
  /** kafkajs logs only from this level up; default WARN. 'nothing': a command-line tool that reports failures itself. */
  readonly logLevel?: 'nothing' | 'error' | 'warn' | 'info' | 'debug';
  /**
   * How often kafkajs retries a failed connection or request (exponential backoff from 100 ms); default 8, about
   * 18 s against a broker that is away. A command-line tool fails sooner with fewer.
   */
  readonly retries?: number;
  /** SASL credentials and TLS (kafkaSecurityFromEnv); default: neither. */
  readonly security?: KafkaSecurity;
}

const ACL_OPERATIONS: Record<AclBinding['operation'], AclOperationTypes> = {
  read: AclOperationTypes.READ,
  write: AclOperationTypes.WRITE,
  create: AclOperationTypes.CREATE,
  delete: AclOperationTypes.DELETE,
  describe: AclOperationTypes.DESCRIBE,
  'describe-configs': AclOperationTypes.DESCRIBE_CONFIGS,
};

/** One binding as kafkajs spells an ACL (and an exact filter for it): allowed, from any host. */
function kafkajsAcl(b: AclBinding): AclEntry {
  return {
    resourceType: b.resource === 'topic' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
    resourceName: b.name,
    resourcePatternType: b.pattern === 'literal' ? ResourcePatternTypes.LITERAL : ResourcePatternTypes.PREFIXED,
    principal: b.principal,
    host: '*',
    operation: ACL_OPERATIONS[b.operation],
    permissionType: AclPermissionTypes.ALLOW,
  };
}

/** Concurrent sends to one topic are merged into one request up to this many bytes (the broker takes 1 MiB batches). */
const MERGED_SEND_BYTES = 256 * 1024;

/** About what a record weighs in a request. */
function recordBytes(record: OutgoingRecord): number {
  let bytes = (record.key?.length ?? 0) + (record.value?.length ?? 0) + 32;
  for (const [name, value] of Object.entries(record.headers ?? {})) bytes += name.length + value.length;
  return bytes;
}

/** kafkajs types its SASL options as one object per mechanism. */
function kafkajsSasl({ mechanism, username, password }: NonNullable<KafkaSecurity['sasl']>): SASLOptions {
  switch (mechanism) {
    case 'plain':
      return { mechanism, username, password };
    case 'scram-sha-256':
      return { mechanism, username, password };
    case 'scram-sha-512':
      return { mechanism, username, password };
  }
}

const LOG_LEVELS = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
} as const;

/**
 * kafkajs' request queue schedules its throttle check with a negative delay when nothing is throttled
 * (network/requestQueue, tulios/kafkajs#1751); Node 24 warns on every such timer (TimeoutNegativeWarning) and
 * runs it after 1 ms, as Node 20 did silently. kafkajs 2.2.4 is the last release, so the warning is dropped
 * here, once per process; every other warning is emitted as before.
 */
function silenceNegativeTimeoutWarnings(): void {
  const marker = Symbol.for('shop.kafkajs.timeoutNegativeWarning');
  const holder = process as unknown as Record<symbol, boolean>;
  if (holder[marker]) return;
  holder[marker] = true;
  const emit = process.emitWarning.bind(process) as (warning: string | Error, ...rest: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: unknown } | undefined)?.type;
    const name = warning instanceof Error ? warning.name : type;
    if (name === 'TimeoutNegativeWarning') return;
    emit(warning, ...rest);
  }) as typeof process.emitWarning;
}
silenceNegativeTimeoutWarnings();

function headersOf(message: KafkaMessage): Headers {
  const result: Record<string, string> = {};
  for (const [name, raw] of Object.entries(message.headers ?? {})) {
    if (raw === undefined) continue;
    const first = Array.isArray(raw) ? raw[0] : raw;
    if (first !== undefined) result[name] = first.toString();
  }
  return result;
}

function toIncoming(topic: string, partition: number, message: KafkaMessage): IncomingRecord {
  return {
    topic,
    partition,
    offset: BigInt(message.offset),
    key: message.key,
    value: message.value,
    headers: headersOf(message),
    timestamp: Number(message.timestamp),
  };
}

const LEVEL_NAMES: Record<number, string> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * We bound the idempotent producer's retries on purpose (a send must fail, not hang, while the broker is
 * away; callers retry and consumers dedupe by event id), so kafkajs' warning about it is noise.
 */
const SUPPRESSED = new Set(['Limiting retries for the idempotent producer may invalidate EoS guarantees']);

/** kafkajs logs as JSON lines on stderr so they sit with the services' own structured logs. */
function jsonLogCreator() {
  return ({ namespace, level, log }: LogEntry) => {
    const { message, timestamp, logger: _logger, ...extra } = log as LogEntry['log'] & { logger?: string };
    if (SUPPRESSED.has(message)) return;
    const component = namespace ? `kafkajs.${namespace}` : 'kafkajs';
    // kafkajs logs every protocol error response at ERROR in its Connection namespace, also the ones it
    // retries itself (rebalance in progress, coordinator loading). What really fails surfaces as a crash
    // event or a rejected call, so these are warnings.
    const effective = namespace === 'Connection' && level === logLevel.ERROR ? logLevel.WARN : level;
    process.stderr.write(
      `${JSON.stringify({ time: timestamp, level: LEVEL_NAMES[effective] ?? String(effective), component, msg: message, ...extra })}\n`,
    );
  };
}

/**
 * A dead member holds its partitions until the coordinator has not heard from it for this long; the
 * broker's default minimum (group.min.session.timeout.ms) is 6 s. See the README's design notes.
 */
export const DEFAULT_SESSION_TIMEOUT_MS = 6000;
/** How long calls around topic metadata wait out a cluster that is still electing leaders or propagating topics. */
const METADATA_BUDGET_MS = 30_000;

/** A partition's lane: its batches are handed over one at a time, and a seek retires what was fetched before it. */
interface Lane {
  /** The batch being handed over (settles when the handler is done with it). */
  busy: Promise<void>;
  /** Bumped by every seek: a batch fetched under an older epoch is dropped. */
  epoch: number;
  /** The handler threw: the next batch of the partition is dropped and throws it to kafkajs (which logs it and fetches again). */
  failed?: { error: unknown };
}

class KafkajsBatchConsumer implements BatchConsumer {
  private consumer: Consumer | undefined;
  private readonly lanes = new Map<string, Lane>();

  constructor(private readonly kafka: Kafka) {}

  private lane(topic: string, partition: number): Lane {
    const key = `${topic}|${partition}`;
    let lane = this.lanes.get(key);
    if (!lane) this.lanes.set(key, (lane = { busy: Promise.resolve(), epoch: 0 }));
    return lane;
  }

  async start(options: BatchConsumerOptions): Promise<void> {
    const sessionTimeout = options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
    const heartbeatInterval = Math.max(300, Math.floor(sessionTimeout / 6));
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      // The view's database holds the offsets; the group only divides partitions among members.
      allowAutoTopicCreation: false,
      maxBytesPerPartition: 4 * 1024 * 1024,
      maxWaitTimeInMs: 250,
      sessionTimeout,
      heartbeatInterval,
    });
    this.consumer = consumer;
    const seek = (lane: Lane, topic: string, partition: number, offset: bigint | string) => {
      lane.epoch += 1;
      consumer.seek({ topic, partition, offset: offset.toString() });
    };
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      const assignment = Object.entries(event.payload.memberAssignment).map(([topic, partitions]) => ({
        topic,
        partitions,
      }));
      // A seek registered before the first fetch wins; one that arrives later is applied at the next
      // fetch, and the materializer drops the records it already holds in between.
      options
        .onAssigned(assignment)
        .then((positions) => {
          for (const p of positions) seek(this.lane(p.topic, p.partition), p.topic, p.partition, p.offset);
        })
        .catch((error: unknown) => options.onCrash?.(error as Error));
    });
    consumer.on(consumer.events.CRASH, (event) => {
      if (!event.payload.restart) options.onCrash?.(event.payload.error);
    });
    await connectOrRelease(consumer);
    // Right after another instance created the topics, their metadata may not have reached this broker yet.
    await retryKafka(() => consumer.subscribe({ topics: [...options.topics], fromBeginning: true }), { budgetMs: METADATA_BUDGET_MS });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
      // kafkajs fetches a broker's partitions again only once every batch of its last fetch is handled. Each batch
      // is resolved when its handling starts and handled in the background, so the partition's next batch is fetched
      // (and decoded) meanwhile; it waits here for its turn. Sequential per partition as before, one batch ahead.
      eachBatch: async ({ batch, isRunning, isStale, heartbeat, resolveOffset }) => {
        const { topic, partition } = batch;
        const lane = this.lane(topic, partition);
        const epoch = lane.epoch;
        const first = batch.messages[0];
        const last = batch.messages[batch.messages.length - 1];
        if (first && last) options.onFetched?.({ topic, partition, firstOffset: BigInt(first.offset), lastOffset: BigInt(last.offset) });
        await lane.busy;
        const failed = lane.failed;
        if (failed) {
          // Not resolved, so kafkajs fetches this batch (or the seek's) again after it handles the error.
          lane.failed = undefined;
          throw failed.error;
        }
        // A seek since this batch was fetched (the handler's, an assignment's, an abandoned batch's): not what comes next.
        if (lane.epoch !== epoch || !isRunning() || isStale() || !first || !last) return;
        const records = batch.messages.map((m) => toIncoming(topic, partition, m));
        lane.busy = this.handOver(
          options,
          lane,
          { topic, partition, records, highWatermark: BigInt(batch.highWatermark) },
          {
            isRunning,
            isStale,
            heartbeat,
            heartbeatInterval,
            rewind: () => seek(lane, topic, partition, first.offset),
            seek: (offset) => seek(lane, topic, partition, offset),
          },
        );
        resolveOffset(last.offset);
      },
    });
  }

  /** Runs the handler on one batch; never rejects (a failure is kept in the lane). */
  private async handOver(
    options: BatchConsumerOptions,
    lane: Lane,
    batch: PartitionBatch,
    kafkajs: {
      isRunning: () => boolean;
      isStale: () => boolean;
      heartbeat: () => Promise<void>;
      heartbeatInterval: number;
      /** Back to this batch's first record. */
      rewind: () => void;
      seek: (offset: bigint) => void;
    },
  ): Promise<void> {
    let sought: bigint | undefined;
    let rebalancing = false;
    // kafkajs heartbeats only from its fetch loop and when asked to: a batch that takes longer than the
    // session (a stalled partition waiting out a database outage, a slow join) would get this member
    // evicted. Heartbeat in the background while the batch runs; a heartbeat that reports a rebalance
    // tells the batch to let go (the materializer re-seeks from its stored positions afterwards).
    const beat = setInterval(() => {
      kafkajs.heartbeat().catch((error: unknown) => {
        if (isRebalanceError(error)) rebalancing = true;
      });
    }, kafkajs.heartbeatInterval);
    const active = () => kafkajs.isRunning() && !kafkajs.isStale() && !rebalancing;
    // The handler let go part way (or may have): the batch fetched behind this one must not be handed over. A
    // pending seek (an assignment's) says where to resume; otherwise this batch is fetched again and the handler
    // skips what it already has.
    const letGo = () => {
      if (kafkajs.isRunning() && !kafkajs.isStale()) kafkajs.rewind();
      else lane.epoch += 1;
    };
    try {
      await options.eachBatch(batch, {
        isActive: active,
        heartbeat: async () => {
          try {
            await kafkajs.heartbeat();
          } catch (error) {
            // The fetch loop rejoins the group; this batch just stops where it is.
            if (!isRetriableKafkaError(error) && !isRebalanceError(error)) throw error;
            rebalancing = true;
          }
        },
        seek: (offset) => {
          sought = offset;
          kafkajs.seek(offset);
        },
      });
      if (sought === undefined && !active()) letGo();
    } catch (error) {
      lane.failed = { error };
      if (sought === undefined) letGo();
    } finally {
      clearInterval(beat);
    }
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    // disconnect() stops fetching, waits for the batch kafkajs is in, then leaves the group; the batches handed
    // over finish their chunk in flight (the handler sees the consumer stopping) and are awaited here.
    await consumer?.disconnect();
    await Promise.all([...this.lanes.values()].map((lane) => lane.busy));
  }
}

class KafkajsMessageConsumer implements MessageConsumer {
  private consumer: Consumer | undefined;

  constructor(private readonly kafka: Kafka) {}

  async start(options: MessageConsumerOptions): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 250 });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (event) => {
      if (!event.payload.restart) options.onCrash?.(event.payload.error);
    });
    await connectOrRelease(consumer);
    await retryKafka(() => consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning }), {
      budgetMs: METADATA_BUDGET_MS,
    });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        await options.eachRecord(toIncoming(topic, partition, message));
        // Kafka's committed offset is the NEXT record to read.
        await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
      },
    });
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect();
  }
}

export class KafkajsClient implements KafkaClient {
  private readonly kafka: Kafka;

  constructor(config: KafkaConnectionConfig) {
    this.kafka = new Kafka({
      clientId: config.clientId,
      brokers: [...config.brokers],
      logLevel: LOG_LEVELS[config.logLevel ?? 'warn'],
      logCreator: jsonLogCreator,
      retry: { initialRetryTime: 100, retries: config.retries ?? 8 },
      ssl: config.security?.ssl ?? false,
      ...(config.security?.sasl ? { sasl: kafkajsSasl(config.security.sasl) } : {}),
    });
  }

  async producer(): Promise<Producer> {
    // The partitions the send in progress puts its records on, as kafkajs' partitioner chose them in its latest
    // attempt (kafkajs partitions every record again on each retry). Sends are one at a time (below), so one plan.
    const plan = { records: 1, calls: 0, partitions: new Set<number>() };
    const planned: ICustomPartitioner = () => {
      const partitioner = Partitioners.DefaultPartitioner();
      return (args) => {
        if (plan.calls++ % plan.records === 0) plan.partitions = new Set();
        const partition = partitioner(args);
        plan.partitions.add(partition);
        return partition;
      };
    };
    // Idempotent producer: acks=all and at most 1 request in flight keep order and avoid duplicates on retry.
    const create = async () => {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // murmur2 on the key bytes, as Java clients and Kafka Connect partition: one key, one partition,
        // whoever writes it.
        createPartitioner: planned,
      });
      await connectOrRelease(producer);
      return producer;
    };
    // The producer (or its connect in progress, shared by concurrent sends: one producer at a time, none leaked).
    let current: Promise<KafkajsProducer> | undefined = Promise.resolve(await create());
    // One send at a time per producer. kafkajs numbers an idempotent producer's batches per partition but locks
    // per broker: while a partition's leader changes, a send retrying on the new leader and a concurrent one
    // still on the old leader take sequence numbers from the same counter, and a batch can reach the new leader
    // with the sequence of a batch already written there. If both hold as many records, the broker takes it for a
    // retry of that batch (DUPLICATE_SEQUENCE_NUMBER), answers success, and its records are never written: an
    // acknowledged write lost (seen in cluster.e2e-spec.ts with a broker SIGKILLed under load). Serialised, each
    // send and its retries see the counter alone. Callers that batch (the front door's group commit) lose little.
    // Sends that arrive while one is in flight wait, and those for the same topic then go as one request, in
    // the order they arrived, up to MERGED_SEND_BYTES (a send that would take a merge past it waits for the
    // next request, so that a merge never makes a batch the broker refuses): concurrent callers (a processor's
    // partitions, the front door's flushes) share a round trip instead of queueing one behind the other. Each
    // gets the outcome of the request its records went in.
    const waiting: { topic: string; records: readonly OutgoingRecord[]; settle: (failure?: { error: unknown }) => void }[] = [];
    let sending = false;
    const drain = async () => {
      sending = true;
      while (waiting.length > 0) {
        const topic = (waiting[0] as (typeof waiting)[number]).topic;
        const batch: typeof waiting = [];
        let bytes = 0;
        for (let i = 0; i < waiting.length;) {
          const next = waiting[i] as (typeof waiting)[number];
          const size = next.records.reduce((sum, r) => sum + recordBytes(r), 0);
          if (next.topic !== topic || (batch.length > 0 && bytes + size > MERGED_SEND_BYTES)) {
            i += 1;
            continue;
          }
          batch.push(next);
          bytes += size;
          waiting.splice(i, 1);
        }
        try {
          await sendNow(
            topic,
            batch.flatMap((w) => w.records),
          );
          for (const w of batch) w.settle();
        } catch (error) {
          for (const w of batch) w.settle({ error });
        }
      }
      sending = false;
    };
    return {
      send: (topic, records) =>
        new Promise<void>((resolve, reject) => {
          waiting.push({ topic, records, settle: (failure) => (failure ? reject(failure.error) : resolve()) });
          if (!sending) void drain();
        }),
      disconnect: async () => {
        const pending = current;
        current = undefined;
        const producer = await pending?.catch(() => undefined);
        await producer?.disconnect();
      },
    };

    async function sendNow(topic: string, records: Parameters<Producer['send']>[1]): Promise<void> {
      if (records.length === 0) return;
      const pending = (current ??= create());
      const producer = await pending.catch((error: unknown) => {
        // The broker is away: the next send tries again.
        if (current === pending) current = undefined;
        throw error;
      });
      plan.records = records.length;
      plan.calls = 0;
      plan.partitions = new Set();
      try {
        const answers = await producer.send({
          topic,
          acks: -1,
          compression: CompressionTypes.None,
          messages: records.map((r) => ({
            key: r.key,
            value: r.value,
            headers: r.headers as IHeaders | undefined,
            partition: r.partition,
            ...(r.timestamp === undefined ? {} : { timestamp: String(r.timestamp) }),
          })),
        });
        const unanswered = unacknowledgedPartitions(topic, plan.partitions, answers);
        if (unanswered.length > 0) throw new UnacknowledgedPartitionsError(topic, unanswered);
      } catch (error) {
        // A failed send has an unknown outcome: a request that timed out may be in the leader's log without an
        // acknowledgement (the leader could not get its in-sync copies). kafkajs keeps that batch's sequence
        // numbers, so the next batch of other records on that partition is refused for good
        // (OUT_OF_ORDER_SEQUENCE_NUMBER, seen with two of three brokers down). The next send gets a fresh
        // producer id, whose sequences start anew; a record written twice is deduplicated by its event id.
        if (current === pending) {
          current = undefined;
          void producer.disconnect().catch(() => undefined);
        }
        throw error;
      }
    }
  }

  async admin(): Promise<Admin> {
    const admin = this.kafka.admin();
    await connectOrRelease(admin);
    const retrying = <T>(work: () => Promise<T>) => retryKafka(work, { budgetMs: METADATA_BUDGET_MS });
    /**
     * Resolves once every partition of `names` has a leader in the metadata this client sees. Several
     * services creating topics at once on an empty broker: the one whose createTopics found them existing
     * gets no wait from kafkajs, and its next metadata call can answer UNKNOWN_TOPIC_OR_PARTITION.
     */
    const waitForLeaders = (names: readonly string[]) =>
      retryKafka(
        async () => {
          const { topics } = await admin.fetchTopicMetadata({ topics: [...names] });
          const ready = new Set(
            topics
              .filter((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0 && (p.partitionErrorCode ?? 0) === 0))
              .map((t) => t.name),
          );
          const missing = names.filter((n) => !ready.has(n));
          if (missing.length > 0) throw new TopicsWithoutLeaderError(missing);
        },
        { budgetMs: METADATA_BUDGET_MS, initialDelayMs: 50, maxDelayMs: 1000 },
      );
    return {
      listTopics: () => retrying(() => admin.listTopics()),
      createTopics: async (topics: readonly TopicSpec[]) => {
        try {
          await retrying(() =>
            admin.createTopics({
              waitForLeaders: true,
              topics: topics.map((t) => ({
                topic: t.name,
                numPartitions: t.partitions,
                replicationFactor: t.replicationFactor ?? -1,
                configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
              })),
            }),
          );
        } catch (error) {
          // Created by someone else meanwhile: as good as created here, once their leaders are known.
          if (!isTopicAlreadyExists(error)) throw withTopicErrors(error);
        }
        await waitForLeaders(topics.map((t) => t.name));
      },
      waitForLeaders,
      describeTopic: (name) =>
        retrying(async () => {
          const [metadata, configs] = await Promise.all([
            admin.fetchTopicMetadata({ topics: [name] }),
            admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name }] }),
          ]);
          const config: Record<string, string> = {};
          for (const entry of configs.resources[0]?.configEntries ?? []) config[entry.configName] = entry.configValue;
          const partitions = [...(metadata.topics[0]?.partitions ?? [])].sort((a, b) => a.partitionId - b.partitionId);
          return {
            name,
            partitions: partitions.length,
            config,
            partitionReplicas: partitions.map((p) => ({ partition: p.partitionId, leader: p.leader, replicas: p.replicas, isr: p.isr })),
          };
        }),
      fetchOffsets: async (topic) =>
        (await retrying(() => admin.fetchTopicOffsets(topic))).map((p) => ({
          partition: p.partition,
          low: BigInt(p.low),
          high: BigInt(p.high),
        })),
      deleteTopics: (names) => admin.deleteTopics({ topics: [...names] }),
      deleteGroups: async (groupIds) => {
        await admin.deleteGroups([...groupIds]);
      },
      createAcls: async (bindings) => {
        if (bindings.length === 0) return;
        await retrying(() => admin.createAcls({ acl: bindings.map(kafkajsAcl) }));
      },
      deleteAcls: async (bindings) => {
        if (bindings.length === 0) return;
        await retrying(() => admin.deleteAcls({ filters: bindings.map(kafkajsAcl) }));
      },
      disconnect: () => admin.disconnect(),
    };
  }

  batchConsumer(): BatchConsumer {
    return new KafkajsBatchConsumer(this.kafka);
  }

  messageConsumer(): MessageConsumer {
    return new KafkajsMessageConsumer(this.kafka);
  }
}
