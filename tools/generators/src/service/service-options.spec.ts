import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  catalogueTopicsOf,
  composeClusterWith,
  composeWith,
  manifestEntryOf,
  nextFreePort,
  normalizeOptions,
  readmeWith,
  type ManifestEntry,
} from './service-options';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
// The real catalogue and manifest: the generator must understand the files it will meet.
const catalogue = catalogueTopicsOf(read('libs/contracts/src/topics/topic-catalogue.ts'));
const manifest = (JSON.parse(read('libs/contracts/src/services/services.json')) as { services: ManifestEntry[] }).services;

const spec = (consumes: string, name = 'loyalty-points') => normalizeOptions({ name, consumes }, catalogue, manifest);

describe('catalogueTopicsOf', () => {
  it('reads every topic of the catalogue with its key in Topics and its kind', () => {
    expect(catalogue).toEqual([
      { key: 'users', name: 'users', kind: 'changelog' },
      { key: 'orders', name: 'orders', kind: 'events' },
      { key: 'orderValidations', name: 'order-validations', kind: 'events' },
      { key: 'shipments', name: 'shipments', kind: 'events' },
      { key: 'fraudAlerts', name: 'fraud-alerts', kind: 'events' },
    ]);
  });
});

describe('normalizeOptions', () => {
  it('gives the next free port, a snake_case database, a users view and one stream per other topic', () => {
    const used = new Set(manifest.map((s) => s.port));
    const result = spec(' users, fraud-alerts ');
    expect(used.has(result.port)).toBe(false);
    expect(result).toMatchObject({
      name: 'loyalty-points',
      className: 'LoyaltyPoints',
      database: 'loyalty_points',
      demo: 'opt-in',
      consumes: ['users', 'fraud-alerts'],
      usersView: true,
    });
    expect(result.streams).toEqual([
      {
        topic: 'fraud-alerts',
        topicKey: 'fraudAlerts',
        folder: 'fraud-alerts',
        className: 'FraudAlerts',
        propertyName: 'fraudAlerts',
        constantName: 'FRAUD_ALERTS',
        view: 'fraud-alerts',
        table: 'fraud_alerts_seen',
        model: 'FraudAlertsSeen',
      },
    ]);
    expect(spec('order-validations').usersView).toBe(false);
  });

  it('lists every problem in one error', () => {
    expect(() => normalizeOptions({ name: 'Shipping_2', consumes: 'users,parcels,users' }, catalogue, manifest)).toThrow(
      [
        '@shop/tools:service Shipping_2:',
        '  - name "Shipping_2" must be kebab-case (the folder under apps/)',
        '  - "parcels" is not a topic of the catalogue (users, orders, order-validations, shipments, fraud-alerts)',
        '  - --consumes lists a topic twice',
      ].join('\n'),
    );
    expect(() => normalizeOptions({ name: 'shipping', consumes: '', port: 3002 }, catalogue, manifest)).toThrow(
      /already a service of the manifest\n {2}- --consumes names no topic[^\n]*\n {2}- port 3002 is shipping's\n {2}- database shipping is shipping's/,
    );
  });
});

describe('nextFreePort', () => {
  it('is the smallest unused port from 3000 on', () => {
    const entry = (port: number): ManifestEntry => ({ ...manifest[0], port }) as ManifestEntry;
    expect(nextFreePort([entry(3000), entry(3001), entry(3003), entry(3100)])).toBe(3002);
    expect(nextFreePort([])).toBe(3000);
  });
});

describe('the manifest entry, the compose block and the README row', () => {
  const s = spec('users,order-validations');

  it('adds a consuming service that produces nothing and runs in the demo on demand', () => {
    expect(manifestEntryOf(s)).toEqual({
      name: 'loyalty-points',
      port: s.port,
      database: 'loyalty_points',
      kafka: true,
      consumes: ['users', 'order-validations'],
      produces: [],
      demo: 'opt-in',
      systemTests: false,
    });
  });

  it('puts the service on the three brokers of docker-compose.cluster.yml, before the load generator', () => {
    const lines = composeClusterWith(read('docker-compose.cluster.yml'), s).split('\n');
    const at = lines.indexOf('  loyalty-points:');
    expect(lines.slice(at, at + 5)).toEqual([
      '  loyalty-points:',
      '    environment: *cluster-clients',
      '    depends_on: *cluster-depends',
      '',
      '  load-generator:',
    ]);
  });

  it("puts the block after the manifest's last service, connecting as the service's own database role", () => {
    const compose = composeWith(read('docker-compose.yml'), s, manifest);
    const last = manifest[manifest.length - 1]?.name ?? '';
    const lines = compose.split('\n');
    const at = lines.indexOf('  loyalty-points:');
    expect(at).toBeGreaterThan(lines.indexOf(`  ${last}:`));
    expect(lines.slice(at, at + 6)).toEqual([
      '  loyalty-points:',
      '    <<: *service',
      '    command: ["node", "dist/apps/loyalty-points/src/main.js"]',
      '    ports:',
      `      - "127.0.0.1:${s.port}:${s.port}"`,
      '    environment:',
    ]);
    expect(lines[at - 1]).toBe('');
    expect(compose).toContain(
      '      DATABASE_URL: postgresql://loyalty_points:${LOYALTY_POINTS_DB_PASSWORD:?see .env.example}@postgres:5432/loyalty_points',
    );
    // Its own Kafka principal (its password in .env and in the brokers' JAAS file: npm run docker:databases).
    expect(lines.slice(at + 7, at + 10)).toEqual([
      '      KAFKA_SASL_MECHANISM: plain',
      '      KAFKA_SASL_USERNAME: loyalty-points',
      '      KAFKA_SASL_PASSWORD: ${KAFKA_LOYALTY_POINTS_PASSWORD:?see .env.example}',
    ]);
    // The token of its /admin/* endpoints, every service's.
    expect(lines.slice(at).find((l) => l.includes('ADMIN_TOKEN'))).toBe('      ADMIN_TOKEN: ${ADMIN_TOKEN:?see .env.example}');
    // The init script creates the warehouse last, the new database included before it.
    expect(compose).toContain('pg_isready -h 127.0.0.1 -U postgres -d warehouse');
  });

  it('appends the Services row with the topics it reads', () => {
    const readme = readmeWith(read('README.md'), s);
    expect(readme).toContain(
      `| \`loyalty-points\` | ${s.port} | \`users\`, \`order-validations\` | users view, order-validations seen | \`GET /order-validations/seen\` |\n\nEvery service also serves`,
    );
  });
});
