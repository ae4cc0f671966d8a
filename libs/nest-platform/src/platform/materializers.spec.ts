import { Topics } from '@shop/contracts';
import { DeadLetterPublisher, EventProducer, type Admin, type KafkaClient, type MaterializedView, type Producer } from '@shop/kafka';
import { Materializers } from './materializers';
import type { PlatformDatabase, PlatformOptions, ViewDependencies } from './platform.tokens';

const view = (name: string): MaterializedView<unknown> => ({
  name,
  topic: { ...Topics.users, name },
  apply: async () => undefined,
  reset: async () => undefined,
});

/** Nothing here talks to Kafka or the database: constructing materializers does no I/O. */
function build(views: PlatformOptions['views']): Materializers {
  const producer = {} as Producer;
  const options: PlatformOptions = {
    service: 'svc',
    kafkaBrokers: ['127.0.0.1:19092'],
    databaseUrl: 'postgres://u:p@h:5432/db',
    topicPrefix: 't_',
    logLevel: 'warn',
    migrationsDir: '/nowhere',
    prisma: () => ({}) as PlatformDatabase,
    views,
    healthMaxLag: 0,
  };
  return new Materializers(
    {} as KafkaClient,
    {} as Admin,
    {} as PlatformDatabase,
    new DeadLetterPublisher(producer),
    new EventProducer(producer),
    options,
  );
}

describe('Materializers', () => {
  it('takes a plain list of views', () => {
    const m = build([view('users'), view('orders')]);
    expect(m.names).toEqual(['users', 'orders']);
    expect(m.views.map((v) => v.name)).toEqual(['users', 'orders']);
  });

  it('gives a views factory the producer, the prefix and a lazy lookup of the other materializers', () => {
    let deps: ViewDependencies | undefined;
    const m = build((d) => {
      deps = d;
      return [view('users'), view('orders')];
    });
    expect(deps?.producer).toBeInstanceOf(EventProducer);
    expect(deps).toMatchObject({ service: 'svc', topicPrefix: 't_' });
    expect(deps?.materializer('users')).toBe(m.get('users'));
    expect(() => deps?.materializer('payments')).toThrow('no view named "payments" (known: users, orders)');
  });

  it('explains a lookup made while the views are still being declared', () => {
    expect(() => build((d) => [view(d.materializer('users') ? 'x' : 'y')])).toThrow(/inside apply/);
  });

  it('refuses two views with the same name', () => {
    expect(() => build([view('users'), view('users')])).toThrow('two views are named "users"');
  });

  it('rejects a rebuild of an unknown view', () => {
    expect(() => build([view('users')]).rebuild('nope')).toThrow('no view named "nope"');
  });
});
