/**
 * docker-compose.yml cannot be run on the CI machine (no Docker engine): it is validated by construction.
 *   1. against the Compose Specification JSON schema (compose-spec.json, upstream copy: see ../README.md);
 *   2. against the repository: the services manifest (libs/contracts/src/services/services.json: names,
 *      ports, databases) and README's services table, the apps' entry points, the environment each app's
 *      config reads, depends_on ordering, the Dockerfile and .dockerignore.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { allTopics, serviceManifest, serviceNamed } from '@shop/contracts';
import { kafkaSecurityFromEnv } from '@shop/kafka';
import { env as envVar, parseEnv, serviceEnv } from '@shop/nest-platform';

import { envExample, envOf, interpolate, interpolatedNames, kafkaImageProperties, type Env } from './compose-model';
import { buildTargets, deployedApps, infraLocalValue, read, ROOT } from './workspace';
interface Healthcheck {
  test?: string | string[];
  disable?: boolean;
}
interface DependsOn {
  condition?: string;
}
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Env | string[];
  ports?: (string | number | { target: number; published?: string | number })[];
  depends_on?: string[] | Record<string, DependsOn>;
  healthcheck?: Healthcheck;
  restart?: string;
  volumes?: (string | { source?: string; target: string })[];
  env_file?: string | string[];
  configs?: (string | { source: string; target?: string })[];
}
interface ComposeFile {
  version?: string;
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  configs?: Record<string, { content?: string }>;
}

const composeRaw = read('docker-compose.yml');
/** The names of the variables docker-compose.yml interpolates (`${NAME}`, `${NAME:?message}`). */
const interpolated = interpolatedNames(composeRaw);
/** docker-compose.yml as compose sees it with .env copied from .env.example (an unknown variable fails here). */
const composeText = interpolate(composeRaw);
// merge: resolve YAML merge keys (`<<: *anchor`) as Docker Compose does.
const compose = parse(composeText, { merge: true }) as ComposeFile;
const services = compose.services;
/** A compose service that must exist. */
function svc(name: string): Service {
  const service = services[name];
  if (!service) throw new Error(`docker-compose.yml has no service "${name}"`);
  return service;
}

/** The compiled entry point of every project with a build target, by project name (`dist/apps/<app>/src/main.js`). */
const builtEntryPoints: Record<string, string> = Object.fromEntries(buildTargets().map((t) => [t.project, t.output]));

const commandOf = (service: Service): string => (Array.isArray(service.command) ? service.command.join(' ') : (service.command ?? ''));

const dependsOn = (service: Service): Record<string, string> => {
  const deps = service.depends_on;
  if (!deps) return {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([name, d]) => [name, d.condition ?? 'service_started']));
};

/** Compose services that run one of our apps, by app name. */
const appServices: Record<string, Service> = Object.fromEntries(
  Object.entries(services).flatMap(([name, service]) => {
    const match = /(?:^| )dist\/apps\/([^/ ]+)\/src\/main\.js$/.exec(commandOf(service));
    return match ? [[match[1], { ...service, name }]] : [];
  }),
);

/** Default port of an app: the manifest's (each app's config takes it from there, its config.spec checks). */
const defaultPort = (app: string): number => serviceNamed(app).port;

/** The apps without an HTTP server or a database of their own: the only ones the manifest does not list. */
const CLIENT_APPS = ['load-generator'];

interface ReadmeService {
  readonly name: string;
  readonly port: number;
  /** Backticked words of the "reads" and "writes / serves" columns. */
  readonly reads: string[];
  readonly writes: string[];
}

/** README's "## Services" table, row by row. */
function readmeServices(): ReadmeService[] {
  const readme = read('README.md');
  const section = readme.slice(readme.indexOf('## Services'));
  const table = section.slice(0, section.indexOf('\n## ', 5));
  const ticked = (cell: string | undefined) => [...(cell ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
  return [...table.matchAll(/^\| `([a-z-]+)` \| (\d+) \|(.*)$/gm)].map((m) => {
    const cells = (m[3] ?? '').split('|');
    return { name: m[1] ?? '', port: Number(m[2]), reads: ticked(cells[0]), writes: ticked(cells[2]) };
  });
}

const serviceDatabases = (): string[] => serviceManifest.map((s) => s.database);

/** The Kafka principals of the local infra (infra/local/config.mjs), which compose has too. */
const kafkaPrincipals = infraLocalValue<string[]>('config.KAFKA_PRINCIPALS');
/** The .env variable of a Kafka principal's password (tools/scripts/write-service-databases.mjs). */
const kafkaPasswordVariable = (principal: string) => `KAFKA_${principal.toUpperCase().replace(/-/g, '_')}_PASSWORD`;

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification JSON schema', () => {
    const schema = JSON.parse(read('tools/deploy-check/compose-spec.json')) as Record<string, unknown>;
    expect(schema['title']).toBe('Compose Specification');
    // The upstream file declares "https://json-schema.org/draft-07/schema"; Ajv knows draft-07 by its
    // canonical id, so the meta-schema check is done explicitly against that id.
    const ajv = new Ajv({ allErrors: true, strict: false });
    const { $schema: _declared, ...body } = schema;
    expect(ajv.validateSchema({ ...body, $schema: 'http://json-schema.org/draft-07/schema#' })).toBe(true);
    const validate = ajv.compile(body);
    const valid = validate(compose);
    expect(valid ? [] : validate.errors).toEqual([]);
  });

  it('follows the current Compose Specification: no `version:` key', () => {
    expect(compose.version).toBeUndefined();
    expect(composeText).not.toMatch(/^version:/m);
  });

  it("lists in README's Services table every service of the manifest: its port, the topics it reads and writes", () => {
    const rows = readmeServices();
    expect(rows.map((r) => r.name)).toEqual(serviceManifest.map((s) => s.name));
    const topicNames = new Set(allTopics.map((t) => t.name));
    for (const row of rows) {
      const service = serviceNamed(row.name);
      expect({ name: row.name, port: row.port }).toEqual({ name: row.name, port: service.port });
      expect({ name: row.name, reads: row.reads.filter((w) => topicNames.has(w)) }).toEqual({ name: row.name, reads: service.consumes });
      expect({ name: row.name, writes: [...new Set(row.writes.filter((w) => topicNames.has(w)))].sort() }).toEqual({
        name: row.name,
        writes: [...service.produces].sort(),
      });
    }
  });

  it('has a service for every service of the manifest, on its port, and runs nothing the manifest does not list', () => {
    for (const { name, port } of serviceManifest) {
      expect({ name, exists: name in services }).toEqual({ name, exists: true });
      expect({ name, PORT: envOf(svc(name))['PORT'] }).toEqual({ name, PORT: String(port) });
    }
    const listed = new Set(serviceManifest.map((s) => s.name));
    expect(Object.keys(appServices).filter((app) => !listed.has(app) && !CLIENT_APPS.includes(app))).toEqual([]);
  });

  it('runs every app (apps/*/src/main.ts except the tests) compiled: the output of its project.json build target', () => {
    expect(Object.keys(appServices).sort()).toEqual(deployedApps());
    for (const [app, service] of Object.entries(appServices)) {
      expect({ app, command: commandOf(service) }).toEqual({ app, command: `node ${builtEntryPoints[app]}` });
    }
  });

  it('runs the same entry points as npm start (tools/scripts/start-demo.mjs), which runs their TypeScript directly', () => {
    const demo = read('tools/scripts/start-demo.mjs');
    // start-demo spawns `node -r @swc-node/register apps/<app>/src/main.ts` for every app it starts.
    expect(demo).toContain("spawn(process.execPath, ['-r', '@swc-node/register', script]");
    expect(demo).toContain('`apps/${s.app}/src/main.ts`');
    expect(demo).toContain("'apps/load-generator/src/main.ts'");
    // …and the services it starts are the manifest's (through the local infra's reader).
    expect(demo).toContain("import { SERVICES } from '../../infra/local/config.mjs';");
    expect(buildTargets().find((t) => t.project === 'sample-view')?.entry).toBe('apps/sample-view/src/main.ts');
  });

  it('gives every HTTP app its default port, published as is, and a /health check on it', () => {
    for (const [app, service] of Object.entries(appServices)) {
      if (CLIENT_APPS.includes(app)) continue;
      const port = defaultPort(app);
      expect({ app, PORT: envOf(service)['PORT'] }).toEqual({ app, PORT: String(port) });
      expect({ app, ports: service.ports }).toEqual({ app, ports: [`127.0.0.1:${port}:${port}`] });
      const test = service.healthcheck?.test;
      expect(Array.isArray(test) ? test.join(' ') : test).toContain(`fetch('http://localhost:${port}/health/ready')`);
    }
  });

  it('configures every Kafka service with a valid service environment (@shop/nest-platform serviceEnv)', () => {
    for (const [app, service] of Object.entries(appServices)) {
      if (CLIENT_APPS.includes(app) || !serviceNamed(app).kafka) continue;
      const env = envOf(service);
      const parsed = parseEnv(app, serviceEnv(defaultPort(app)), env);
      expect(parsed.KAFKA_BROKERS).toEqual(['kafka:9092']);
      expect(new URL(parsed.DATABASE_URL).hostname).toBe('postgres');
    }
  });

  it('configures the monolith and the load generator with values their configs accept', () => {
    const monolith = parseEnv(
      'legacy-monolith',
      { DATABASE_URL: envVar.postgresUrl(), PORT: envVar.port(defaultPort('legacy-monolith')), LOG_LEVEL: envVar.logLevel() },
      envOf(svc('legacy-monolith')),
    );
    expect(new URL(monolith.DATABASE_URL).pathname).toBe(`/${serviceNamed('legacy-monolith').database}`);
    const generator = parseEnv(
      'load-generator',
      { KAFKA_BROKERS: envVar.brokers(), TOPIC_PREFIX: envVar.topicPrefix(), LOG_LEVEL: envVar.logLevel() },
      envOf(svc('load-generator')),
    );
    expect(generator.KAFKA_BROKERS).toEqual(['kafka:9092']);
  });

  it('sets only variables the apps read', () => {
    const platformEnv = read('libs/nest-platform/src/config/env.ts');
    for (const [app, service] of Object.entries(appServices)) {
      const config = read(`apps/${app}/src/config/config.ts`);
      for (const name of Object.keys(envOf(service))) {
        const known =
          new RegExp(`\\b${name}\\b`).test(config) || (/serviceEnv\(/.test(config) && new RegExp(`\\b${name}:`).test(platformEnv));
        expect({ app, name, known }).toEqual({ app, name, known: true });
      }
    }
  });

  it("gives each service the manifest's database, created by the init script (npm run docker:databases)", () => {
    const databases = serviceDatabases();
    const init = read('docker/postgres/init/01-service-databases.sh');
    const created = [...init.matchAll(/^database ([a-z_]+) /gm)].map((m) => m[1]);
    expect({ created, hint: 'regenerate: npm run docker:databases' }).toEqual({
      created: [...databases, 'warehouse'],
      hint: 'regenerate: npm run docker:databases',
    });
    expect(infraLocalValue('config.SERVICE_DATABASES')).toEqual(databases);
    for (const { name, database } of serviceManifest) {
      const url = envOf(svc(name))['DATABASE_URL'];
      expect({ name, database: url === undefined ? undefined : new URL(url).pathname.slice(1) }).toEqual({ name, database });
    }

    const used = Object.entries(appServices)
      .map(([app, service]) => [app, envOf(service)['DATABASE_URL']] as const)
      .filter((entry): entry is readonly [string, string] => entry[1] !== undefined)
      .map(([app, url]) => {
        const parsed = new URL(url);
        expect({ app, host: parsed.hostname, port: parsed.port }).toEqual({ app, host: 'postgres', port: '5432' });
        return parsed.pathname.slice(1);
      });
    expect(new Set(used).size).toBe(used.length); // no two services share a database
    for (const db of used) expect(databases).toContain(db);

    const postgres = svc('postgres');
    expect(postgres.image).toBe('postgres:18');
    expect(commandOf(postgres)).toContain('wal_level=logical');
    // Two pools of up to 10 per service (Prisma's and the platform's PgDatabase): more than the default 100 at peak.
    expect(commandOf(postgres)).toContain('max_connections=200');
    expect(postgres.volumes).toContain('./docker/postgres/init:/docker-entrypoint-initdb.d:ro');
  });

  it('connects every app as its own database role, never the superuser, with credentials from .env (see .env.example)', () => {
    const init = read('docker/postgres/init/01-service-databases.sh');
    // Each database is created with a role of its name that owns it, and CONNECT taken from everybody else.
    expect(init).toMatch(/CREATE ROLE :"db" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE :attrs PASSWORD :'pw';/);
    expect(init).toMatch(/CREATE DATABASE :"db" OWNER :"db";/);
    expect(init).toMatch(/REVOKE ALL ON DATABASE :"db" FROM PUBLIC;/);
    for (const m of init.matchAll(/^database ([a-z_]+) "\$([A-Z_]+)"/gm))
      expect(m[2]).toBe(`${(m[1] as string).toUpperCase()}_DB_PASSWORD`);

    const urls = [
      ...Object.entries(appServices).map(([app, service]) => [app, envOf(service)['DATABASE_URL']] as const),
      ['connect-init', envOf(svc('connect-init'))['MONOLITH_DATABASE_URL']] as const,
    ].filter((entry): entry is readonly [string, string] => entry[1] !== undefined);
    expect(urls.length).toBeGreaterThan(serviceManifest.length - 1);
    for (const [app, url] of urls) {
      const parsed = new URL(url);
      const database = parsed.pathname.slice(1);
      expect({ app, user: parsed.username, password: parsed.password }).toEqual({
        app,
        user: database,
        password: envExample[`${database.toUpperCase()}_DB_PASSWORD`],
      });
    }
    // Every credential comes from .env: none is written in docker-compose.yml, and .env.example names each one.
    expect(composeRaw).not.toMatch(/postgres:postgres@|POSTGRES_PASSWORD:/);
    expect(Object.keys(envExample).sort()).toEqual(
      [
        ...new Set([
          'POSTGRES_PASSWORD',
          ...[...serviceDatabases(), 'warehouse'].map((db) => `${db.toUpperCase()}_DB_PASSWORD`),
          ...kafkaPrincipals.map(kafkaPasswordVariable),
          'ADMIN_TOKEN',
        ]),
      ].sort(),
    );
    for (const name of interpolated) expect(Object.keys(envExample)).toContain(name);
    expect(svc('postgres').env_file).toBe('.env');
    // The real .env stays out of git and out of the image.
    expect(read('.gitignore').split('\n')).toContain('.env');
    expect(read('.dockerignore').split('\n')).toContain('.env');
  });

  it('runs Kafka 4.1.1 in KRaft mode, reachable as kafka:9092 in the network and localhost:19092 from the host', () => {
    const kafka = svc('kafka');
    const env = envOf(kafka);
    expect(kafka.image).toBe('apache/kafka:4.1.1');
    expect(env['KAFKA_PROCESS_ROLES']).toBe('broker,controller');
    expect(env['KAFKA_ADVERTISED_LISTENERS']?.split(',')).toEqual(['INTERNAL://kafka:9092', 'HOST://localhost:19092']);
    expect(env['KAFKA_AUTO_CREATE_TOPICS_ENABLE']).toBe('false');
    expect(env['KAFKA_CONTROLLER_QUORUM_VOTERS']).toBe(`${env['KAFKA_NODE_ID']}@kafka:9093`);
    expect(env['CLUSTER_ID']).toMatch(/^[A-Za-z0-9_-]{22}$/); // 16 bytes, base64url
    expect(kafka.ports).toEqual(['127.0.0.1:19092:19092']);
    for (const service of Object.values(services)) {
      const brokers = envOf(service)['KAFKA_BROKERS'];
      if (brokers !== undefined) expect(brokers).toBe('kafka:9092');
    }
  });

  it('asks every client for SASL PLAIN on every listener and holds it to ACLs, the node and the admin excepted', () => {
    const env = envOf(svc('kafka'));
    // What the image makes of the variables: none is dropped (a value with "=" would be), every one is a property.
    const { properties, dropped } = kafkaImageProperties(env);
    expect(dropped).toEqual([]);
    const protocols = Object.fromEntries((properties['listener.security.protocol.map'] ?? '').split(',').map((p) => p.split(':')));
    const listenerNames = (properties['listeners'] ?? '').split(',').map((l) => l.split('://')[0]);
    expect(listenerNames.sort()).toEqual(['CONTROLLER', 'HOST', 'INTERNAL']);
    for (const name of listenerNames) expect({ name, protocol: protocols[name ?? ''] }).toEqual({ name, protocol: 'SASL_PLAINTEXT' });
    expect(properties).toMatchObject({
      'sasl.enabled.mechanisms': 'PLAIN',
      'sasl.mechanism.inter.broker.protocol': 'PLAIN',
      'sasl.mechanism.controller.protocol': 'PLAIN',
      'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      'super.users': 'User:broker;User:admin',
    });
    // The JAAS file (a compose config, the passwords from .env) lists every principal.
    expect(env['KAFKA_OPTS']).toBe('-Djava.security.auth.login.config=/etc/kafka/jaas.conf');
    expect(svc('kafka').configs).toEqual([
      { source: 'kafka-jaas', target: '/etc/kafka/jaas.conf' },
      { source: 'kafka-healthcheck', target: '/etc/kafka/healthcheck.properties' },
    ]);
    const jaas = compose.configs?.['kafka-jaas']?.content ?? '';
    const users = Object.fromEntries([...jaas.matchAll(/^\s*user_([a-z-]+)="([^"]*)"/gm)].map((m) => [m[1], m[2]]));
    expect({ users, hint: 'regenerate: npm run docker:databases' }).toEqual({
      users: Object.fromEntries(kafkaPrincipals.map((p) => [p, envExample[kafkaPasswordVariable(p)]])),
      hint: 'regenerate: npm run docker:databases',
    });
    // What the node sends to its controller and the other brokers: the broker principal's own password.
    expect(/^\s*username="broker"\s+password="([^"]*)"/m.exec(jaas)?.[1]).toBe(envExample['KAFKA_BROKER_PASSWORD']);
    expect(commandOf({ command: svc('kafka').healthcheck?.test ?? '' })).toContain('--command-config /etc/kafka/healthcheck.properties');
    expect(compose.configs?.['kafka-healthcheck']?.content).toContain(
      `username="broker" password="${envExample['KAFKA_BROKER_PASSWORD']}"`,
    );
  });

  it('signs every Kafka client in as its own principal, with its password from .env; the one-shot jobs as the admin', () => {
    const principalOf = (service: Service) => {
      const env = envOf(service);
      const security = kafkaSecurityFromEnv(env);
      return security.sasl ? { user: security.sasl.username, password: security.sasl.password } : undefined;
    };
    for (const [name, service] of Object.entries(services)) {
      if (envOf(service)['KAFKA_BROKERS'] === undefined) continue;
      const app = /dist\/apps\/([^/]+)\//.exec(commandOf(service))?.[1];
      const expected = app !== undefined && !CLIENT_APPS.includes(app) ? app : 'admin';
      expect({ name, principal: principalOf(service) }).toEqual({
        name,
        principal: { user: expected, password: envExample[kafkaPasswordVariable(expected)] },
      });
    }
    // Kafka Connect's worker and each of its clients, as `connect`.
    const connect = envOf(svc('connect'));
    for (const prefix of ['CONNECT_', 'CONNECT_PRODUCER_', 'CONNECT_CONSUMER_', 'CONNECT_ADMIN_']) {
      expect({ prefix, protocol: connect[`${prefix}SECURITY_PROTOCOL`], mechanism: connect[`${prefix}SASL_MECHANISM`] }).toEqual({
        prefix,
        protocol: 'SASL_PLAINTEXT',
        mechanism: 'PLAIN',
      });
      expect(connect[`${prefix}SASL_JAAS_CONFIG`]).toBe(
        `org.apache.kafka.common.security.plain.PlainLoginModule required username="connect" password="${envExample['KAFKA_CONNECT_PASSWORD']}";`,
      );
      // The image logs each property it sets, unless listed as sensitive.
      expect(connect['SENSITIVE_PROPERTIES']?.split(',')).toContain(`${prefix}SASL_JAAS_CONFIG`);
    }
  });

  it("grants the ACLs before any Kafka client but the admin connects (kafka-init), Connect's worker included", () => {
    const init = svc('kafka-init');
    expect(commandOf(init)).toBe(`node ${builtEntryPoints['kafka']} grant`);
    expect(buildTargets().find((t) => t.project === 'kafka')?.entry).toBe('libs/kafka/scripts/acls.ts');
    expect(init.restart).toBe('no');
    expect(init.healthcheck).toEqual({ disable: true });
    expect(dependsOn(init)).toEqual({ kafka: 'service_healthy' });
    const env = envOf(init);
    const connect = envOf(svc('connect'));
    expect(env['CONNECT_GROUP_ID']).toBe(connect['GROUP_ID']);
    expect(env['CONNECT_STORAGE_TOPICS']?.split(',')).toEqual(['CONFIG', 'OFFSET', 'STATUS'].map((t) => connect[`${t}_STORAGE_TOPIC`]));
    for (const [name, service] of Object.entries(services)) {
      const user = kafkaSecurityFromEnv(envOf(service)).sasl?.username;
      if (name === 'kafka-init' || user === undefined || user === 'admin') continue;
      expect({ name, after: dependsOn(service)['kafka-init'] }).toEqual({ name, after: 'service_completed_successfully' });
    }
    expect(dependsOn(svc('connect'))['kafka-init']).toBe('service_completed_successfully');
  });

  it('registers the users CDC connector once Connect and the monolith are healthy', () => {
    const connect = svc('connect');
    expect(connect.image).toMatch(/^quay\.io\/debezium\/connect:3\.6\.\d+\.Final$/);
    const connectEnv = envOf(connect);
    for (const topic of ['CONFIG', 'OFFSET', 'STATUS']) {
      expect(connectEnv[`${topic}_STORAGE_TOPIC`]).toBeTruthy();
      expect(connectEnv[`${topic}_STORAGE_REPLICATION_FACTOR`]).toBe('1');
    }

    const init = svc('connect-init');
    expect(commandOf(init)).toBe(`node ${builtEntryPoints['cdc']} register`);
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['cdc:users']).toBe('node -r @swc-node/register libs/cdc/scripts/users-cdc.ts');
    expect(buildTargets().find((t) => t.project === 'cdc')?.entry).toBe('libs/cdc/scripts/users-cdc.ts');
    expect(init.healthcheck).toEqual({ disable: true });
    const env = envOf(init);
    expect(env['MONOLITH_DATABASE_URL']).toBe(envOf(svc('legacy-monolith'))['DATABASE_URL']);
    expect(env['CONNECT_URL']).toBe('http://connect:8083');
    expect(env['DATABASE_HOST_FOR_CONNECT']).toBe('postgres');
    expect(dependsOn(init)).toEqual({ kafka: 'service_healthy', connect: 'service_healthy', 'legacy-monolith': 'service_healthy' });
    expect(init.restart).toBe('no');
  });

  it("points the dashboard's operations table at services of the manifest, on their ports", () => {
    const watched = (envOf(svc('analytics'))['DASHBOARD_SERVICES'] ?? '').split(',').filter(Boolean);
    expect(watched.length).toBeGreaterThan(0);
    for (const entry of watched) {
      const [name = '', url = ''] = entry.split('=');
      expect({ entry, port: Number(new URL(url).port) }).toEqual({ entry, port: serviceNamed(name).port });
    }
  });

  it('points the load generator at the services through the monolith, gently, after CDC is registered', () => {
    const generator = svc('load-generator');
    const env = envOf(generator);
    expect(env['USERS_VIA']).toBe('monolith');
    expect(env['MONOLITH_URL']).toBe(`http://legacy-monolith:${defaultPort('legacy-monolith')}`);
    expect(env['ORDER_VALIDATION_URL']).toBe(`http://order-validation:${defaultPort('order-validation')}`);
    expect(Number(env['RATE'])).toBeGreaterThan(0);
    expect(Number(env['RATE'])).toBeLessThanOrEqual(5);
    expect(dependsOn(generator)).toMatchObject({
      'connect-init': 'service_completed_successfully',
      'legacy-monolith': 'service_healthy',
      'order-validation': 'service_healthy',
    });
    expect(generator.restart).toBe('no');
    expect(generator.healthcheck).toEqual({ disable: true }); // no HTTP server: the image's check does not apply
  });

  it('orders start-up on dependencies that exist and can satisfy their condition, without cycles', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [target, condition] of Object.entries(dependsOn(service))) {
        const dependency = services[target];
        expect({ name, target, exists: dependency !== undefined }).toEqual({ name, target, exists: true });
        if (condition === 'service_healthy') {
          const check = dependency?.healthcheck;
          expect({ name, target, healthcheck: Boolean(check?.test) && check?.disable !== true }).toEqual({
            name,
            target,
            healthcheck: true,
          });
        }
        if (condition === 'service_completed_successfully') {
          expect({ name, target, restart: dependency?.restart ?? 'no' }).toEqual({ name, target, restart: 'no' });
        }
      }
    }
    const visiting = new Set<string>();
    const done = new Set<string>();
    const visit = (name: string, trail: string[]) => {
      if (done.has(name)) return;
      if (visiting.has(name)) throw new Error(`depends_on cycle: ${[...trail, name].join(' → ')}`);
      visiting.add(name);
      for (const target of Object.keys(dependsOn(svc(name)))) visit(target, [...trail, name]);
      visiting.delete(name);
      done.add(name);
    };
    for (const name of Object.keys(services)) visit(name, []);
    // Every Kafka service waits for a healthy broker and database.
    for (const [app, service] of Object.entries(appServices)) {
      if (CLIENT_APPS.includes(app) || !serviceNamed(app).kafka) continue;
      expect({ app, deps: dependsOn(service) }).toMatchObject({ app, deps: { kafka: 'service_healthy', postgres: 'service_healthy' } });
    }
  });

  it('builds every image from a Dockerfile that exists, with the repository root as context', () => {
    const dockerfiles = new Set<string>();
    for (const [name, service] of Object.entries(services)) {
      if (!service.build) {
        expect({ name, image: Boolean(service.image) }).toEqual({ name, image: true });
        continue;
      }
      const build = typeof service.build === 'string' ? { context: service.build } : service.build;
      const file = path.join(ROOT, build.context ?? '.', build.dockerfile ?? 'Dockerfile');
      expect({ name, dockerfile: path.relative(ROOT, file), exists: fs.existsSync(file) }).toEqual({
        name,
        dockerfile: path.relative(ROOT, file),
        exists: true,
      });
      expect(path.resolve(ROOT, build.context ?? '.')).toBe(ROOT);
      dockerfiles.add(file);
    }
    expect(dockerfiles.size).toBeGreaterThan(0);
    expect([...dockerfiles].map((file) => path.relative(ROOT, file))).toEqual(['docker/app/Dockerfile']); // image.spec.ts checks it
  });

  it('keeps local build artefacts out of the build context (.dockerignore)', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.nx', 'tmp', 'dist', '**/generated/prisma', '.git']));
  });
});
