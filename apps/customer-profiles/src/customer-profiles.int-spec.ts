import { Topics, withTopicPrefix } from '@shop/contracts';
import { committedApiDocument } from '@shop/nest-platform';
import { apiAnswerCheck, startServiceUnderTest, uniqueName, waitUntil, type ApiDocument, type ServiceUnderTest } from '@shop/testing';
import { AppModule } from './app.module';
import { loadConfig, type CustomerProfilesConfig } from './config/config';

/**
 * The whole service against the harness's real broker and a fresh PostgreSQL database: boots the Nest app as
 * main.ts does and checks its views, its HTTP API against its OpenAPI document, and a rebuild.
 */
describe('customer-profiles over HTTP and Kafka', () => {
  const prefix = `${uniqueName('customer')}_`;
  let sut: ServiceUnderTest<CustomerProfilesConfig>;
  let baseUrl: string;

  const get = async (url: string) => {
    const response = await fetch(`${baseUrl}${url}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const waitHealthy = (description: string) =>
    waitUntil(async () => ((await fetch(`${baseUrl}/health`)).status === 200 ? true : undefined), { description, timeoutMs: 60_000 });

  beforeAll(async () => {
    sut = await startServiceUnderTest({
      service: 'customer-profiles',
      loadConfig,
      module: (config) => AppModule.forRoot(config),
      topicPrefix: prefix,
    });
    ({ baseUrl } = sut);
  });

  afterAll(() => sut?.stop());

  it('provisions its topics and reports every view caught up on an empty log', async () => {
    await waitHealthy('/health to answer 200');
    const { body } = await get('/health');
    expect(body).toMatchObject({
      status: 'ok',
      checks: {
        views: [
          { view: 'users', topic: withTopicPrefix(Topics.users, prefix).name, status: 'caught-up', lag: 0 },
          { view: 'order-validations', topic: withTopicPrefix(Topics.orderValidations, prefix).name, status: 'caught-up', lag: 0 },
          { view: 'shipments', topic: withTopicPrefix(Topics.shipments, prefix).name, status: 'caught-up', lag: 0 },
          { view: 'fraud-alerts', topic: withTopicPrefix(Topics.fraudAlerts, prefix).name, status: 'caught-up', lag: 0 },
        ],
      },
    });
  });

  it('counts no order-validations event yet', async () => {
    expect(await get('/order-validations/seen')).toEqual({ status: 200, body: { topic: 'order-validations', total: 0, byType: [] } });
  });

  it('counts no shipments event yet', async () => {
    expect(await get('/shipments/seen')).toEqual({ status: 200, body: { topic: 'shipments', total: 0, byType: [] } });
  });

  it('counts no fraud-alerts event yet', async () => {
    expect(await get('/fraud-alerts/seen')).toEqual({ status: 200, body: { topic: 'fraud-alerts', total: 0, byType: [] } });
  });

  it('serves the committed docs/openapi/customer-profiles.json at /docs/json and answers as it documents', async () => {
    const served = await get('/docs/json');
    expect(served.body).toEqual(JSON.parse(committedApiDocument('customer-profiles')));
    const check = apiAnswerCheck(served.body as unknown as ApiDocument);
    const answers: [string, string, string][] = [
      ['GET', '/order-validations/seen', '/order-validations/seen'],
      ['GET', '/shipments/seen', '/shipments/seen'],
      ['GET', '/fraud-alerts/seen', '/fraud-alerts/seen'],
      ['GET', '/health/ready', '/health/ready'],
      ['POST', '/admin/views/{name}/rebuild', '/admin/views/no-such-view/rebuild'],
    ];
    for (const [method, route, url] of answers) {
      const response = await fetch(`${baseUrl}${url}`, { method });
      expect(check(method, route, response.status, await response.json())).toEqual([]);
    }
  });

  it('rebuilds its views from offset 0', async () => {
    const response = await fetch(`${baseUrl}/admin/rebuild`, { method: 'POST' });
    expect(response.status).toBe(202);
    await waitHealthy('the rebuilt views to catch up');
  });
});
