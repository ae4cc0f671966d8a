import { Inject, Injectable, Logger } from '@nestjs/common';
import { PgDatabase } from '@shop/db';
import {
  DeadLetterPublisher,
  Materializer,
  replayRefusal,
  type Admin,
  type DeadLetterPage,
  type DeadLetterReplayReport,
  type KafkaClient,
  type MaterializedView,
  type MaterializerStatus,
} from '@shop/kafka';
import { rebuildAdmission, replayAdmission, type Admission } from '../admin/admission';
import { viewCheck, type ViewCheck } from '../health/health.report';
import type { ObservedView } from '../metrics/view-metrics';
import { withTimeout } from './with-timeout';
import { KAFKA_ADMIN, KAFKA_CLIENT, PLATFORM_OPTIONS, type PlatformDatabase, type PlatformOptions } from './platform.tokens';

/** An admin operation refused by replayAdmission / rebuildAdmission (the controller answers `status`). */
export class NotAdmittedError extends Error {
  constructor(readonly admission: Extract<Admission, { admitted: false }>) {
    super(admission.reason);
    this.name = 'NotAdmittedError';
  }
}

/**
 * One Materializer per view of the service, registered by the ViewTransport when the app's microservice
 * listens (before the platform provisions topics). Started and stopped by PlatformLifecycle; read by /health
 * and /metrics, rebuilt by the admin endpoints.
 */
@Injectable()
export class Materializers {
  private readonly logger = new Logger('Materializer');
  private readonly byName = new Map<string, Materializer<unknown>>();
  private readonly registered: MaterializedView<unknown>[] = [];
  private rebuilding: Promise<void> | undefined;
  /** Dead-letter replays running, by view (one per view at a time, in this process). */
  private readonly replays = new Map<string, Promise<unknown>>();
  private sealed = false;
  /** Set when a view's consumer died for good; /health reports it. */
  crash: Error | undefined;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly client: KafkaClient,
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
    @Inject(PgDatabase) private readonly db: PlatformDatabase,
    private readonly deadLetters: DeadLetterPublisher,
    @Inject(PLATFORM_OPTIONS) private readonly options: PlatformOptions,
  ) {}

  /** The views, in registration (= start) order. */
  get views(): readonly MaterializedView<unknown>[] {
    return this.registered;
  }

  /** Adds a view. Only before the platform provisions their topics (seal()). */
  register(view: MaterializedView<unknown>): void {
    if (this.sealed) throw new Error(`view "${view.name}" registered after start: views are declared before the app initialises`);
    if (this.byName.has(view.name)) throw new Error(`two views are named "${view.name}": view names must be unique`);
    const { options, logger } = this;
    const materializer = new Materializer(this.client, this.db, this.admin, this.deadLetters, view, {
      groupId: `${options.topicPrefix}${options.service}.${view.name}`,
      onDeadLetter: (letter) =>
        logger.warn({
          msg: 'record sent to the dead-letter topic',
          view: view.name,
          topic: letter.record.topic,
          partition: letter.record.partition,
          offset: letter.record.offset.toString(),
          error: letter.error.message,
        }),
      onStalled: ({ partition, attempt, retryInMs, error }) =>
        logger.warn({
          msg: partition < 0 ? 'view positions unreadable: waiting for the database' : 'partition stalled: retrying the chunk',
          view: view.name,
          ...(partition < 0 ? {} : { partition }),
          attempt,
          retryInMs,
          error: error.message,
        }),
      onRegressed: (r) =>
        logger.warn({
          msg: 'stored position went back (commits lost by the database): replaying from it',
          view: view.name,
          partition: r.partition,
          stored: r.stored.toString(),
          committedBefore: r.known.toString(),
        }),
      onResumed: ({ partition, attempts, stalledMs }) =>
        logger.log({ msg: 'partition resumed after a stall', view: view.name, partition, attempts, stalledMs }),
      onCrash: (error) => {
        this.crash = error;
        logger.fatal({ msg: 'view consumer crashed', view: view.name, error: error.message, stack: error.stack });
        options.onFatal?.(error);
      },
    });
    this.byName.set(view.name, materializer);
    this.registered.push(view);
  }

  /** No view may be added from now on (their topics are being provisioned). */
  seal(): void {
    this.sealed = true;
  }

  /** Each view's stats and status, with its topic: what GET /metrics reads on every scrape. */
  observed(): ObservedView[] {
    return this.views.map((view) => {
      const materializer = this.get(view.name);
      return { view: view.name, topic: view.topic.name, stats: materializer.stats, status: () => materializer.status() };
    });
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  get(name: string): Materializer<unknown> {
    const materializer = this.byName.get(name);
    if (!materializer) {
      throw new Error(
        this.byName.size === 0
          ? `no view named "${name}" yet: views are registered when the app's ViewTransport listens`
          : `no view named "${name}" (known: ${this.names.join(', ')})`,
      );
    }
    return materializer;
  }

  private starting: Promise<void> | undefined;
  private stopping = false;

  /** True once every view's consumer has joined its group (the start in the background is over). */
  started = false;

  /**
   * Starts every view's consumer at once. A consumer that cannot start (the broker away, a topic's metadata
   * not there yet) is tried again with backoff until it starts or the service stops: nothing here is fatal.
   */
  startAll(): Promise<void> {
    this.stopping = false;
    this.starting ??= Promise.all(
      [...this.byName].map(async ([name, materializer]) => {
        for (let attempt = 1; !this.stopping; attempt++) {
          try {
            await materializer.start();
            this.logger.log({ msg: 'view consumer started', view: name });
            return;
          } catch (error) {
            await materializer.stop().catch(() => undefined);
            const retryInMs = Math.min(5000, 250 * 2 ** Math.min(attempt - 1, 5));
            this.logger.warn({
              msg: 'view consumer did not start: retrying',
              view: name,
              attempt,
              retryInMs,
              error: (error as Error).message,
            });
            await new Promise((resolve) => setTimeout(resolve, retryInMs));
          }
        }
      }),
    ).then(() => {
      this.started = !this.stopping;
    });
    return this.starting;
  }

  /** Stops every consumer; each finishes (and commits) the chunk in flight. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    await this.starting?.catch(() => undefined);
    this.starting = undefined;
    this.started = false;
    await this.rebuilding?.catch(() => undefined);
    // Each replay stops after the letter in flight (its position is stored with it: the next replay resumes).
    await Promise.all([...this.replays.values()].map((replay) => replay.catch(() => undefined)));
    await Promise.all(
      [...this.byName].map(async ([name, materializer]) => {
        await materializer.stop();
        this.logger.log({ msg: 'view consumer stopped', view: name, ...materializer.stats });
      }),
    );
  }

  get isRebuilding(): boolean {
    return this.rebuilding !== undefined;
  }

  /** Views whose dead letters are being replayed now. */
  get replaying(): string[] {
    return [...this.replays.keys()];
  }

  /** Whether a rebuild may start now (not while another rebuild or a dead-letter replay runs). */
  rebuildAdmission(): Admission {
    return rebuildAdmission({ rebuilding: this.isRebuilding, replaying: this.replaying });
  }

  /** Whether the dead letters of `name` may be replayed now (never for a latest-wins view). */
  replayAdmission(name: string): Admission {
    this.get(name);
    const view = this.registered.find((v) => v.name === name);
    return replayAdmission(name, { rebuilding: this.isRebuilding, replaying: this.replaying }, view ? replayRefusal(view) : undefined);
  }

  /**
   * Applies the view's dead letters to it (DeadLetterReplay of @shop/kafka) and logs what happened. Throws
   * NotAdmittedError when replayAdmission refuses, ReplayInterruptedError when the database or the broker fails.
   */
  async replayDeadLetters(name: string): Promise<DeadLetterReplayReport> {
    const materializer = this.get(name);
    const admission = this.replayAdmission(name);
    if (!admission.admitted) throw new NotAdmittedError(admission);
    this.logger.log({ msg: 'replaying dead letters', view: name, topic: materializer.deadLetterReplay.topic });
    const run = materializer.deadLetterReplay.replay(() => !this.stopping);
    this.replays.set(name, run);
    try {
      const report = await run;
      const errors = [...new Set(report.failures.map((f) => f.error))].slice(0, 10);
      // Letters that still fail need someone's attention: a warning.
      const log = report.stillFailing > 0 ? this.logger.warn.bind(this.logger) : this.logger.log.bind(this.logger);
      log({
        msg: 'dead letters replayed',
        view: name,
        topic: report.topic,
        applied: report.applied,
        stillFailing: report.stillFailing,
        otherConsumers: report.otherConsumers,
        alreadyReplayed: report.alreadyReplayed,
        complete: report.complete,
        ...(errors.length > 0 ? { errors } : {}),
      });
      return report;
    } catch (error) {
      this.logger.warn({ msg: 'dead-letter replay interrupted', view: name, error: (error as Error).message });
      throw error;
    } finally {
      this.replays.delete(name);
    }
  }

  /** One page of the view's dead letters on `<topic>.dlq` (only this view's: `dlq.consumer`). */
  listDeadLetters(name: string, page: { readonly limit: number; readonly offset: number }): Promise<DeadLetterPage> {
    return this.get(name).deadLetterReplay.list(page);
  }

  /** Empties every view and its positions, then replays their topics from the start. One rebuild at a time. */
  rebuildAll(): Promise<void> {
    return this.rebuildViews(this.names);
  }

  /** Empties one view and its positions, then replays its topic from the start. */
  rebuild(name: string): Promise<void> {
    this.get(name);
    return this.rebuildViews([name]);
  }

  /**
   * Every view judged as GET /health/ready judges it (viewCheck): a view whose status does not answer within
   * `timeoutMs` is reported as such instead of failing the whole report.
   */
  viewChecks(maxLag: number, timeoutMs = 3000): Promise<ViewCheck[]> {
    return Promise.all(
      this.names.map(async (name) => {
        const common = { view: name, rebuilding: this.isRebuilding, crashed: this.crash !== undefined, starting: !this.started };
        try {
          const status = await withTimeout(this.get(name).status(), timeoutMs, `status of view ${name}`);
          return viewCheck({ ...common, status }, maxLag);
        } catch (error) {
          return viewCheck({ ...common, error: (error as Error).message }, maxLag);
        }
      }),
    );
  }

  statuses(): Promise<MaterializerStatus[]> {
    return Promise.all([...this.byName.values()].map((m) => m.status()));
  }

  private async rebuildViews(names: readonly string[]): Promise<void> {
    const admission = this.rebuildAdmission();
    if (!admission.admitted) throw new NotAdmittedError(admission);
    const run = async () => {
      for (const name of names) {
        this.logger.log({ msg: 'rebuilding view: truncate and replay from offset 0', view: name });
        await this.get(name).rebuild();
      }
    };
    this.rebuilding = run().finally(() => {
      this.rebuilding = undefined;
    });
    await this.rebuilding;
  }
}
