import { Topics } from '@shop/contracts';
import { DeadLetterPublisher, type Admin, type KafkaClient, type MaterializedView, type Producer } from '@shop/kafka';
import { changelogTableView } from '@shop/kafka';
import { Materializers, NotAdmittedError } from './materializers';
import type { PlatformDatabase, PlatformOptions } from './platform.tokens';

const view = (name: string): MaterializedView<unknown> => ({
  name,
  topic: { ...Topics.users, name },
  apply: async () => undefined,
  reset: async () => undefined,
});

/** Nothing here talks to Kafka or the database: registering materializers does no I/O. */
function build(views: readonly MaterializedView<unknown>[]): Materializers {
  const options: PlatformOptions = {
    service: 'svc',
    kafkaBrokers: ['127.0.0.1:19092'],
    databaseUrl: 'postgres://u:p@h:5432/db',
    topicPrefix: 't_',
    logLevel: 'warn',
    migrationsDir: '/nowhere',
    prisma: () => ({}) as PlatformDatabase,
    healthMaxLag: 0,
    joinCatchUpMs: 1000,
  };
  const m = new Materializers({} as KafkaClient, {} as Admin, {} as PlatformDatabase, new DeadLetterPublisher({} as Producer), options);
  for (const v of views) m.register(v);
  return m;
}

describe('Materializers', () => {
  it('keeps the views in registration order', () => {
    const m = build([view('users'), view('orders')]);
    expect(m.names).toEqual(['users', 'orders']);
    expect(m.views.map((v) => v.name)).toEqual(['users', 'orders']);
    expect(m.get('orders')).toBe(m.get('orders'));
    expect(() => m.get('payments')).toThrow('no view named "payments" (known: users, orders)');
  });

  it('explains a lookup made before any view is registered', () => {
    expect(() => build([]).get('users')).toThrow(/registered when the app's ViewTransport listens/);
  });

  it('refuses two views with the same name', () => {
    expect(() => build([view('users'), view('users')])).toThrow('two views are named "users"');
  });

  it('refuses a view registered after seal() (its topic would not be provisioned)', () => {
    const m = build([view('users')]);
    m.seal();
    expect(() => m.register(view('late'))).toThrow('view "late" registered after start');
  });

  it('rejects a rebuild of an unknown view', () => {
    expect(() => build([view('users')]).rebuild('nope')).toThrow('no view named "nope"');
  });

  it('admits a dead-letter replay of an events view and refuses one of a changelog table (422), before any I/O', async () => {
    const users = changelogTableView({
      name: 'users',
      topic: { ...Topics.users, name: 't_users' },
      table: 'users_view',
      keyColumn: 'id',
      columns: [],
    });
    const shipments: MaterializedView<unknown> = {
      ...view('shipments'),
      topic: { ...Topics.orderValidations, name: 't_order-validations' },
    };
    const m = build([users, shipments]);
    expect(m.replayAdmission('shipments')).toEqual({ admitted: true });
    expect(m.replayAdmission('users')).toMatchObject({ admitted: false, status: 422 });
    await expect(m.replayDeadLetters('users')).rejects.toBeInstanceOf(NotAdmittedError);
    expect(m.replaying).toEqual([]);
    expect(m.rebuildAdmission()).toEqual({ admitted: true });
    expect(() => m.replayAdmission('nope')).toThrow('no view named "nope"');
  });
});
