import type { ServiceEntry } from '@shop/contracts';
import { DEFAULT_LIST_LIMIT, parseDlqArgs, parsePosition, resolveDeadLetterTopic, resolveReplayTarget, UsageError } from './dlq-args';

describe('dlq command line', () => {
  it('parses list, show and replay with their options', () => {
    expect(parseDlqArgs(['list', 'orders'])).toEqual({ kind: 'list', topic: 'orders', json: false, limit: DEFAULT_LIST_LIMIT });
    expect(parseDlqArgs(['list', 'orders.dlq', '--json', '--limit', '5', '--consumer', 'shipping.shipments'])).toEqual({
      kind: 'list',
      topic: 'orders.dlq',
      json: true,
      limit: 5,
      consumer: 'shipping.shipments',
    });
    expect(parseDlqArgs(['show', 'orders', '2:9007199254740993'])).toEqual({
      kind: 'show',
      topic: 'orders',
      json: false,
      partition: 2,
      offset: 9_007_199_254_740_993n,
    });
    expect(parseDlqArgs(['replay', 'shipments', '--service', 'shipping'])).toEqual({
      kind: 'replay',
      view: 'shipments',
      service: 'shipping',
      json: false,
    });
    expect(parseDlqArgs(['replay', 'shipments', '--url', 'http://10.0.0.5:3002', '--json'])).toEqual({
      kind: 'replay',
      view: 'shipments',
      url: 'http://10.0.0.5:3002',
      json: true,
    });
    expect(parseDlqArgs([])).toEqual({ kind: 'help' });
    expect(parseDlqArgs(['list', '--help'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['nope'], 'unknown command "nope" (list | show | replay)'],
    [['list'], 'list takes <topic> (got nothing)'],
    [['list', 'a', 'b'], 'list takes <topic> (got "a" "b")'],
    [['list', 'orders', '--limit', 'ten'], '--limit must be a whole number (got "ten")'],
    [['list', 'orders', '--service', 'shipping'], 'list takes no --service'],
    [['show', 'orders', '0-4'], '"0-4" is not <partition>:<offset> (e.g. 0:42)'],
    [['show', 'orders'], 'show takes <topic> <partition>:<offset> (got "orders")'],
    [['replay', 'shipments', '--url', 'ftp://x'], '--url must be http:// or https:// (got "ftp://x")'],
    [['replay', 'shipments', '--url', 'not a url'], '--url must be a base URL such as http://127.0.0.1:3002 (got "not a url")'],
    [['replay', 'shipments', '--consumer', 'x'], 'replay takes no --consumer'],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseDlqArgs(argv)).toThrow(new UsageError(message));
  });

  it('passes parseArgs errors on as usage errors', () => {
    expect(() => parseDlqArgs(['list', 'orders', '--nope'])).toThrow(UsageError);
    expect(() => parseDlqArgs(['list', 'orders', '--limit'])).toThrow(UsageError);
  });

  it('reads <partition>:<offset>', () => {
    expect(parsePosition('0:0')).toEqual({ partition: 0, offset: 0n });
    expect(() => parsePosition(':1')).toThrow(UsageError);
  });
});

describe('the dead-letter topic of what was typed', () => {
  it('takes the original name or its .dlq name, and applies the prefix once', () => {
    expect(resolveDeadLetterTopic('orders', '')).toEqual({ original: 'orders', dlq: 'orders.dlq' });
    expect(resolveDeadLetterTopic('orders.dlq', '')).toEqual({ original: 'orders', dlq: 'orders.dlq' });
    expect(resolveDeadLetterTopic('orders', 'staging.')).toEqual({ original: 'staging.orders', dlq: 'staging.orders.dlq' });
    expect(resolveDeadLetterTopic('staging.orders.dlq', 'staging.')).toEqual({ original: 'staging.orders', dlq: 'staging.orders.dlq' });
  });

  it('refuses what is not a topic name', () => {
    expect(() => resolveDeadLetterTopic('has space', '')).toThrow(UsageError);
    expect(() => resolveDeadLetterTopic('.dlq', '')).toThrow('names no topic');
  });
});

describe('where a replay goes', () => {
  const manifest: ServiceEntry[] = [
    {
      name: 'legacy-monolith',
      port: 3000,
      database: 'm',
      kafka: false,
      consumes: [],
      produces: ['users'],
      demo: 'default',
      systemTests: false,
    },
    {
      name: 'shipping',
      port: 3002,
      database: 's',
      kafka: true,
      consumes: ['users', 'order-validations'],
      produces: ['shipments'],
      demo: 'default',
      systemTests: true,
    },
  ];
  const context = { prefix: '', host: '127.0.0.1', manifest };
  const replay = (view: string, extra: { service?: string; url?: string } = {}) => ({
    kind: 'replay' as const,
    view,
    json: false,
    ...extra,
  });

  it("uses the manifest's port on SERVICE_HOST, or --url", () => {
    expect(resolveReplayTarget(replay('shipments', { service: 'shipping' }), context)).toEqual({
      view: 'shipments',
      service: 'shipping',
      baseUrl: 'http://127.0.0.1:3002',
    });
    expect(resolveReplayTarget(replay('shipments', { service: 'shipping' }), { ...context, host: 'ship.internal' }).baseUrl).toBe(
      'http://ship.internal:3002',
    );
    expect(resolveReplayTarget(replay('shipments', { url: 'http://10.0.0.5:4002/' }), context)).toEqual({
      view: 'shipments',
      baseUrl: 'http://10.0.0.5:4002',
    });
  });

  it('takes the service from the consumer a listing prints, with or without the prefix', () => {
    expect(resolveReplayTarget(replay('shipping.shipments'), context)).toEqual({
      view: 'shipments',
      service: 'shipping',
      baseUrl: 'http://127.0.0.1:3002',
    });
    expect(resolveReplayTarget(replay('t1_shipping.shipments', { url: 'http://x:1' }), { ...context, prefix: 't1_' })).toEqual({
      view: 'shipments',
      service: 'shipping',
      baseUrl: 'http://x:1',
    });
  });

  it('refuses a replay whose service it cannot tell, or that has no views', () => {
    expect(() => resolveReplayTarget(replay('shipments'), context)).toThrow(
      'replay shipments: which service? --service <name>, --url <base-url>, or <service>.shipments',
    );
    expect(() => resolveReplayTarget(replay('shipments', { service: 'nope' }), context)).toThrow(
      '"nope" is not a service of the manifest (shipping)',
    );
    expect(() => resolveReplayTarget(replay('users', { service: 'legacy-monolith' }), context)).toThrow(
      'legacy-monolith has no views to replay into (services with views: shipping)',
    );
    expect(() => resolveReplayTarget(replay('shipping.shipments', { service: 'analytics' }), context)).toThrow(
      '"shipping.shipments" is a view of shipping, not of --service analytics',
    );
  });
});
