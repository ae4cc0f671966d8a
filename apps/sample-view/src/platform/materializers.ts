import { Inject, Injectable, Logger } from '@nestjs/common';
import { DeadLetterPublisher, Materializer, type Admin, type KafkaClient, type MaterializerStatus } from '@shop/kafka';
import { KAFKA_ADMIN, KAFKA_CLIENT, PLATFORM_OPTIONS, type PlatformOptions } from './platform.tokens';
import { PrismaService } from './prisma.service';

/**
 * One Materializer per view of the service. Started and stopped by PlatformLifecycle; read by /health,
 * rebuilt by /admin/rebuild.
 */
@Injectable()
export class Materializers {
  private readonly logger = new Logger('Materializer');
  private readonly byName = new Map<string, Materializer<unknown>>();
  private rebuilding: Promise<void> | undefined;
  /** Set when a view's consumer died for good; /health reports it. */
  crash: Error | undefined;

  constructor(
    @Inject(KAFKA_CLIENT) client: KafkaClient,
    @Inject(KAFKA_ADMIN) admin: Admin,
    prisma: PrismaService,
    deadLetters: DeadLetterPublisher,
    @Inject(PLATFORM_OPTIONS) options: PlatformOptions,
  ) {
    for (const view of options.views) {
      const materializer = new Materializer(client, prisma, admin, deadLetters, view, {
        groupId: `${options.topicPrefix}${options.service}.${view.name}`,
        onDeadLetter: (letter) =>
          this.logger.warn({
            msg: 'record sent to the dead-letter topic',
            view: view.name,
            topic: letter.record.topic,
            partition: letter.record.partition,
            offset: letter.record.offset.toString(),
            error: letter.error.message,
          }),
        onCrash: (error) => {
          this.crash = error;
          this.logger.fatal({ msg: 'view consumer crashed', view: view.name, error: error.message, stack: error.stack });
          options.onFatal?.(error);
        },
      });
      this.byName.set(view.name, materializer);
    }
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }

  get(name: string): Materializer<unknown> {
    const materializer = this.byName.get(name);
    if (!materializer) throw new Error(`no view named "${name}" (known: ${this.names.join(', ')})`);
    return materializer;
  }

  async startAll(): Promise<void> {
    for (const [name, materializer] of this.byName) {
      await materializer.start();
      this.logger.log({ msg: 'view consumer started', view: name });
    }
  }

  /** Stops every consumer; each finishes (and commits) the chunk in flight. */
  async stopAll(): Promise<void> {
    await this.rebuilding?.catch(() => undefined);
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

  /** Empties the views and their positions, then replays their topics from the start. One rebuild at a time. */
  async rebuildAll(): Promise<void> {
    if (this.rebuilding) throw new Error('a rebuild is already running');
    const run = async () => {
      for (const [name, materializer] of this.byName) {
        this.logger.log({ msg: 'rebuilding view: truncate and replay from offset 0', view: name });
        await materializer.rebuild();
      }
    };
    this.rebuilding = run().finally(() => {
      this.rebuilding = undefined;
    });
    await this.rebuilding;
  }

  statuses(): Promise<MaterializerStatus[]> {
    return Promise.all([...this.byName.values()].map((m) => m.status()));
  }
}
