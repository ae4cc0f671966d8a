import { Inject, Injectable, Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { encodeUsersAsOf, Topics, USERS_AS_OF_HEADER, withTopicPrefix, type TopicDefinition, type UsersAsOf } from '@shop/contracts';
import {
  continueTrace,
  EventProducer,
  firstHeadersByKey,
  usersAsOfByKey,
  usersCatchUpTargets,
  type MaterializedView,
  type SqlExecutor,
  type ViewRecord,
} from '@shop/kafka';
import { lastValueFrom } from 'rxjs';
import { chunkLogFields } from '../logging/chunk-log';
import { Materializers } from '../platform/materializers';
import { PLATFORM_OPTIONS, type PlatformOptions } from '../platform/platform.tokens';
import { ViewContext, ViewChunk, type ProducedEvent } from './view-chunk';
import { VIEW_HANDLER, type ViewHandlerOptions } from './view-handler.decorator';

/** `order id` → `orderId`: the log field named after the topic's key. */
const keyField = (topic: TopicDefinition): string =>
  topic.key.replace(/\s+(\w)/g, (_, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, '');

const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * The service's views as a Nest custom transport strategy (`app.connectMicroservice({ strategy })`, done by
 * createServiceApp). On listen it turns every @ViewHandler of the app's controllers, and every view the
 * PlatformModule was given, into a Materializer run by Materializers: batches of one partition, the handler's
 * writes and the position in one transaction, dead letters for records that cannot be applied, rebuilds and
 * status. The materializers start once the platform has migrated the database and provisioned the topics
 * (PlatformLifecycle); close() stops them, each committing its chunk in flight.
 *
 * Around each handler call it does what every processor did by hand: the declared joins catch up first, and
 * `chunk.produce` checks the single-writer rule, prefixes the topic, continues each record's trace and logs
 * the chunk's keys and trace ids.
 */
@Injectable()
export class ViewTransport extends Server implements CustomTransportStrategy {
  /** Set by listen(): PlatformLifecycle refuses to provision before the views are known. */
  listening = false;
  /** Topics the handlers produce to (prefixed): provisioned at start with the views' topics. */
  readonly produced: TopicDefinition[] = [];

  constructor(
    private readonly materializers: Materializers,
    private readonly producer: EventProducer,
    @Inject(PLATFORM_OPTIONS) private readonly options: PlatformOptions,
  ) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    try {
      if (!this.listening) {
        for (const view of this.options.views ?? []) this.materializers.register(view);
        for (const [pattern, handler] of this.messageHandlers) this.materializers.register(this.viewOf(pattern, handler));
        this.listening = true;
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await this.materializers.stopAll();
  }

  /** No transport events: the views' states are on /health/ready and /metrics. */
  on(): void {
    throw new Error('ViewTransport has no events: read Materializers.statuses()');
  }

  unwrap<T>(): T {
    return this.materializers as T;
  }

  private viewOf(pattern: string, handler: MessageHandler): MaterializedView<unknown> {
    const declared = handler.extras?.[VIEW_HANDLER] as ViewHandlerOptions | undefined;
    if (!declared || !handler.isEventHandler) {
      throw new Error(`the handler of "${pattern}" is not declared with @ViewHandler(): the service's transport runs views only`);
    }
    const { service, topicPrefix } = this.options;
    const produces = new Map<string, TopicDefinition>();
    for (const topic of declared.produces ?? []) {
      if (topic.writer !== service) {
        throw new Error(`view ${declared.view} declares it produces ${topic.name}, whose single writer is ${topic.writer}, not ${service}`);
      }
      const prefixed = withTopicPrefix(topic, topicPrefix);
      produces.set(topic.name, prefixed);
      this.produced.push(prefixed);
    }
    const topic = withTopicPrefix(declared.topic, topicPrefix);
    const span = declared.span ?? `${service}: ${declared.view}`;
    const tables = declared.tables.map(quoteIdentifier).join(', ');
    if (tables === '') throw new Error(`view ${declared.view} declares no tables: a rebuild would not empty it`);
    const logger = new Logger(`View:${declared.view}`);

    const usersTopic = withTopicPrefix(Topics.users, topicPrefix).name;
    const apply = async (tx: SqlExecutor, records: readonly ViewRecord<unknown>[]): Promise<void> => {
      const partition = records[0]?.partition ?? -1;
      const joins = declared.joins ?? [];
      // Where each record meets the users table (its users-as-of header, or its timestamp): handlers read
      // users as of it (chunk.usersAsOf), and the events they produce carry it on.
      const asOf = joins.length > 0 ? usersAsOfByKey(records) : new Map<string, UsersAsOf>();
      if (asOf.size > 0) {
        // Stream–table join: the joined views hold every row the records can join with (bounded: a timeout
        // throws, the partition stalls and the chunk is retried; nothing joins stale data). Records that carry
        // the users watermarks need the users view up to them; others need everything on the topic now.
        const targets = usersCatchUpTargets(asOf.values());
        await Promise.all(
          joins.map((name) => {
            const joined = this.materializers.get(name);
            return targets && joined.topicName === usersTopic
              ? joined.catchUpTo(targets, this.options.joinCatchUpMs)
              : joined.catchUp(this.options.joinCatchUpMs);
          }),
        );
      }
      const produce = async <TEvent>(
        target: TopicDefinition<TEvent>,
        events: readonly ProducedEvent<TEvent>[],
        logFields?: Readonly<Record<string, unknown>>,
      ) => {
        const destination = produces.get(target.name) as TopicDefinition<TEvent> | undefined;
        if (!destination)
          throw new Error(`view ${declared.view} produced to ${target.name}, which its @ViewHandler does not declare in produces`);
        const incoming = firstHeadersByKey(records);
        const traced = events.map((event) => ({ event, trace: continueTrace(span, incoming.get(event.key)) }));
        const headersOf = (key: string, trace: Record<string, string>): Record<string, string> => {
          const position = asOf.get(key);
          return position ? { ...trace, [USERS_AS_OF_HEADER]: encodeUsersAsOf(position) } : trace;
        };
        await this.producer.send(
          destination,
          traced.map(({ event, trace }) => ({ key: event.key, value: event.value, headers: headersOf(event.key, trace.headers) })),
        );
        logger.log({
          msg: 'events produced',
          topic: destination.name,
          ...logFields,
          ...chunkLogFields(
            traced.map(({ event, trace }) => ({ key: event.key, traceId: trace.traceId })),
            keyField(target),
          ),
        });
      };
      const result = await handler(
        new ViewChunk(declared.view, partition, records, tx, produce, asOf),
        new ViewContext([declared.view, topic.name, partition]),
      );
      await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
    };

    return {
      name: declared.view,
      topic,
      apply,
      reset: async (tx) => {
        await tx.$executeRawUnsafe(`TRUNCATE ${tables}`);
      },
    };
  }
}
