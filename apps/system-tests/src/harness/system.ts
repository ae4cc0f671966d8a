import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase, freePort, testInfra, uniqueName, type TestDatabase } from '@shop/testing';
import {
  deploymentAcls,
  KafkajsClient,
  kafkaSecurityFromEnv,
  readRecords,
  type Admin,
  type IncomingRecord,
  type KafkaConnectionConfig,
} from '@shop/kafka';
import { serviceManifest, serviceNamed } from '@shop/contracts';
import { requestJson } from './http';
import { localConnectionInfo } from './local-infra';
import { REPO_ROOT, startProcess, stopProcess, tail, type ManagedProcess } from './processes';

/** A service of the services manifest (libs/contracts). */
export type ServiceName = string;
/** The services every run starts (the manifest's `systemTests`), in the manifest's order: the order their outputs flow. */
export const SERVICES: readonly ServiceName[] = serviceManifest.filter((s) => s.systemTests).map((s) => s.name);
/** The legacy monolith (users over HTTP, no Kafka): started only when asked for (`withMonolith`). */
export const MONOLITH = serviceNamed('legacy-monolith').name;
export type AppName = ServiceName;

export interface RunningApp<N extends AppName = AppName> {
  readonly name: N;
  readonly baseUrl: string;
  readonly port: number;
  readonly database: TestDatabase;
  readonly process: ManagedProcess;
}
export type RunningService = RunningApp<ServiceName>;

export interface SystemOptions {
  /** Also start apps/legacy-monolith (own database, no Kafka), e.g. as the CDC source. */
  readonly withMonolith?: boolean;
}

interface ViewHealth {
  readonly view: string;
  readonly status: string;
  readonly lag: number | null;
  readonly partitions?: readonly { readonly partition: number; readonly highWatermark: number }[];
}

export interface HealthSnapshot {
  readonly httpStatus: number;
  readonly views: readonly ViewHealth[];
}

const say = (message: string) => process.stdout.write(`[system-tests] ${message}\n`);

export function serviceEntry(name: string): string {
  return `apps/${name}/src/main.ts`;
}

export function serviceExists(name: string): boolean {
  return existsSync(path.join(REPO_ROOT, serviceEntry(name)));
}

/**
 * The whole system as separate processes: every service with its own fresh database, one topic prefix for
 * the run, a free port each. Logs go to tmp/system-tests/<run>/<service>.log.
 */
export class SystemUnderTest {
  readonly runId = uniqueName('sys');
  readonly topicPrefix = `${this.runId}_`;
  readonly logDir = path.join(REPO_ROOT, 'tmp', 'system-tests', this.runId);
  /** Every service's ADMIN_TOKEN in this run; `adminHeaders` is what /admin/* needs. */
  readonly adminToken = randomBytes(24).toString('hex');
  readonly adminHeaders: Readonly<Record<string, string>> = { authorization: `Bearer ${this.adminToken}` };
  readonly services = new Map<ServiceName, RunningService>();
  /** Instances started besides the first one of a service (same database and consumer groups, own port). */
  readonly extraInstances = new Map<ServiceName, RunningService[]>();
  readonly missing: ServiceName[] = [];
  private monolithApp: RunningApp<typeof MONOLITH> | undefined;
  private readonly databases: TestDatabase[] = [];
  private stopping = false;
  private readonly unexpectedExits: string[] = [];
  /** Processes this harness killed on purpose (chaos): their exit is not a crash. */
  private readonly killed = new Set<ManagedProcess>();
  private readonly envs = new Map<AppName, Record<string, string>>();
  /**
   * On the local infra's SASL listener: the principals' passwords. Every service then signs in as its own principal,
   * held to the ACLs of this run's prefix (granted at start, revoked at stop).
   */
  private saslPasswords: Readonly<Record<string, string>> | undefined;

  constructor(private readonly options: SystemOptions = {}) {}

  get kafkaBrokers(): string[] {
    return testInfra().kafkaBrokers;
  }

  /** The legacy monolith (only with `withMonolith`). */
  get monolith(): RunningApp<typeof MONOLITH> {
    if (!this.monolithApp) throw new Error(`${MONOLITH} is not running (start the system with { withMonolith: true })`);
    return this.monolithApp;
  }

  service(name: ServiceName): RunningService {
    const s = this.services.get(name);
    if (!s)
      throw new Error(
        `${name} is not running (${this.missing.includes(name) ? `${serviceEntry(name)} does not exist` : 'it failed to start'})`,
      );
    return s;
  }

  /** Starts every service that exists, in parallel, and waits until each /health/ready answers 200. */
  async start(healthTimeoutMs = 180_000): Promise<void> {
    say(`run ${this.runId}: topic prefix ${this.topicPrefix}, logs in ${path.relative(REPO_ROOT, this.logDir)}`);
    const present = SERVICES.filter((name) => {
      if (serviceExists(name)) return true;
      this.missing.push(name);
      return false;
    });
    if (this.missing.length > 0) say(`not built yet (skipped): ${this.missing.join(', ')}`);
    const names: AppName[] = [...present, ...(this.options.withMonolith ? [MONOLITH] : [])];
    await this.grantAcls();
    const launched = await Promise.all(names.map((name) => this.launch(name)));
    const started = Date.now();
    await Promise.all(
      launched.map(async (s) => {
        for (;;) {
          if (s.process.hasExited()) throw new Error(`${s.name} exited before it was healthy:\n${tail(s.process.logFile)}`);
          const health = await this.healthOf(s.baseUrl).catch(() => undefined);
          if (health?.httpStatus === 200) break;
          if (Date.now() - started > healthTimeoutMs) {
            throw new Error(
              `${s.name} not healthy within ${healthTimeoutMs / 1000} s (last: ${JSON.stringify(health)}):\n${tail(s.process.logFile)}`,
            );
          }
          await sleep(500);
        }
      }),
    );
    say(`healthy in ${((Date.now() - started) / 1000).toFixed(1)} s: ${launched.map((s) => `${s.name} ${s.baseUrl}`).join(', ')}`);
  }

  /** One app as its own process: a fresh database (named after the manifest's), a free port; Kafka apps also get the broker and the run's topic prefix. */
  private async launch(name: AppName): Promise<RunningApp> {
    const service = serviceNamed(name);
    // Each app connects as its own role, owner of its database only; the monolith's may also stream its changes
    // (Debezium reads them as the monolith, the owner of the users table).
    const database = await createTestDatabase(service.database, { ownRole: true, replication: name === MONOLITH });
    this.databases.push(database);
    const port = await freePort();
    const env: Record<string, string> = {
      DATABASE_URL: database.url,
      PORT: String(port),
      LOG_LEVEL: process.env['SYSTEM_TEST_LOG_LEVEL'] ?? 'log',
      ...(service.kafka ? { ADMIN_TOKEN: this.adminToken } : {}),
      ...(service.kafka ? { ...this.kafkaEnv(name), TOPIC_PREFIX: this.topicPrefix } : {}),
    };
    this.envs.set(name, env);
    const proc = this.spawn(name, env);
    const app: RunningApp = { name, baseUrl: `http://127.0.0.1:${port}`, port, database, process: proc };
    // Registered at once, so stop() ends it even when another app fails to start.
    if (name === MONOLITH) this.monolithApp = { ...app, name };
    else this.services.set(name, { ...app, name });
    return app;
  }

  /** Where a service finds Kafka, and (SASL listener) who it signs in as: the principal named after it. */
  private kafkaEnv(name: ServiceName): Record<string, string> {
    // Elsewhere the services get what the tests got (KAFKA_BROKERS and any KAFKA_SASL_* of the environment).
    if (!this.saslPasswords) return testInfra().kafkaEnv;
    const password = this.saslPasswords[name];
    if (!password)
      throw new Error(`the local broker has no Kafka principal for ${name} (infra/local config.mjs makes one per Kafka service)`);
    return {
      KAFKA_BROKERS: this.kafkaBrokers.join(','),
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: name,
      KAFKA_SASL_PASSWORD: password,
    };
  }

  /**
   * On the local infra's SASL listener (where the tests sign in as its admin principal: int-global-setup), this run's
   * ACLs, granted by that admin, and the services' own principals.
   */
  private async grantAcls(): Promise<void> {
    const info = await localConnectionInfo();
    if (!info.kafkaSasl || info.kafkaBrokers[0] !== this.kafkaBrokers[0]) {
      say('Kafka: not the local SASL listener, the services connect as the tests do');
      return;
    }
    this.saslPasswords = info.kafkaSasl.passwords;
    const acls = deploymentAcls(this.topicPrefix);
    await this.asAdmin((admin) => admin.createAcls(acls));
    say(`Kafka: every service signs in on ${this.kafkaBrokers.join(',')} as itself; ${acls.length} ACLs granted for ${this.topicPrefix}*`);
  }

  /** A Kafka client of the tests' own, on the tests' brokers with their credentials (the admin principal on the local infra). */
  kafkaClient(clientId: string, options: Omit<KafkaConnectionConfig, 'clientId' | 'brokers' | 'security'> = {}): KafkajsClient {
    return new KafkajsClient({ clientId, brokers: this.kafkaBrokers, logLevel: 'error', ...options, security: kafkaSecurityFromEnv() });
  }

  private async asAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = await this.kafkaClient(`${this.runId}-admin`).admin();
    try {
      return await work(admin);
    } finally {
      await admin.disconnect();
    }
  }

  /** The process of one app; its log is appended to across restarts. */
  private spawn(name: AppName, env: Record<string, string>, logName: string = name): ManagedProcess {
    const proc = startProcess(logName, serviceEntry(name), env, path.join(this.logDir, `${logName}.log`));
    void proc.exited.then(({ code, signal }) => {
      if (!this.stopping && !this.killed.has(proc)) {
        const line = `${logName} exited unexpectedly (${signal ?? `exit ${code}`})`;
        this.unexpectedExits.push(line);
        say(`${line}; last lines of ${path.relative(REPO_ROOT, proc.logFile)}:\n${tail(proc.logFile)}`);
      }
    });
    return proc;
  }

  /** SIGKILL, as a crash would: no shutdown hook runs. Resolves once the process is gone. */
  async kill(name: ServiceName): Promise<void> {
    const proc = this.service(name).process;
    this.killed.add(proc);
    proc.child.kill('SIGKILL');
    await proc.exited;
  }

  /**
   * One more instance of a running service: the same database, topics and consumer groups (so the group
   * spreads the partitions over the instances), its own port. Resolves once it answers /health/live.
   */
  async addInstance(name: ServiceName): Promise<RunningService> {
    const first = this.service(name);
    const env = this.envs.get(name);
    if (!env) throw new Error(`${name} was never launched`);
    const list = this.extraInstances.get(name) ?? [];
    const port = await freePort();
    const proc = this.spawn(name, { ...env, PORT: String(port) }, `${name}.${list.length + 2}`);
    const instance: RunningService = { ...first, port, baseUrl: `http://127.0.0.1:${port}`, process: proc };
    list.push(instance);
    this.extraInstances.set(name, list);
    await this.waitLiveAt(instance, 60_000);
    return instance;
  }

  /** SIGKILLs one extra instance (index in extraInstances) and, with `restart`, starts it again on its port. */
  async killInstance(name: ServiceName, index: number, options: { restart?: boolean } = {}): Promise<RunningService | undefined> {
    const list = this.extraInstances.get(name) ?? [];
    const instance = list[index];
    if (!instance) throw new Error(`${name} has no extra instance ${index}`);
    this.killed.add(instance.process);
    instance.process.child.kill('SIGKILL');
    await instance.process.exited;
    if (!options.restart) {
      list.splice(index, 1);
      return undefined;
    }
    const env = this.envs.get(name) ?? {};
    const again: RunningService = {
      ...instance,
      process: this.spawn(name, { ...env, PORT: String(instance.port) }, `${name}.${index + 2}`),
    };
    list[index] = again;
    return again;
  }

  /** Base URLs of every instance of a service, the first one first. */
  urls(name: ServiceName): string[] {
    return [this.service(name), ...(this.extraInstances.get(name) ?? [])].map((s) => s.baseUrl);
  }

  /** The running process of `name` is about to end by itself (a failpoint): not a crash. */
  expectExit(name: ServiceName): void {
    this.killed.add(this.service(name).process);
  }

  /** Starts a killed service again: same database, port and environment (as a supervisor would), plus `extraEnv`. */
  restart(name: ServiceName, extraEnv: Record<string, string> = {}): RunningService {
    const current = this.service(name);
    if (!current.process.hasExited()) throw new Error(`${name} is still running: kill it first`);
    const env = this.envs.get(name);
    if (!env) throw new Error(`${name} was never launched`);
    const restarted: RunningService = { ...current, process: this.spawn(name, { ...env, ...extraEnv }) };
    this.services.set(name, restarted);
    return restarted;
  }

  /** Polls GET /health/live until it answers 200; resolves with the milliseconds it took. */
  waitLive(name: ServiceName, timeoutMs = 60_000): Promise<number> {
    return this.waitLiveAt(this.service(name), timeoutMs);
  }

  async waitLiveAt(s: RunningService, timeoutMs = 60_000): Promise<number> {
    const name = s.name;
    const started = Date.now();
    for (;;) {
      if (s.process.hasExited()) throw new Error(`${name} exited before it was live:\n${tail(s.process.logFile)}`);
      const { status } = await requestJson(`${s.baseUrl}/health/live`, { timeoutMs: 2_000 }).catch(() => ({ status: 0 }));
      if (status === 200) return Date.now() - started;
      if (Date.now() - started > timeoutMs) throw new Error(`${name} not live within ${timeoutMs / 1000} s:\n${tail(s.process.logFile)}`);
      await sleep(50);
    }
  }

  async health(name: ServiceName): Promise<HealthSnapshot> {
    return this.healthOf(this.service(name).baseUrl);
  }

  private async healthOf(baseUrl: string): Promise<HealthSnapshot> {
    const { status, body } = await requestJson<{ checks?: { views?: ViewHealth[] } }>(`${baseUrl}/health/ready`, { timeoutMs: 10_000 });
    return { httpStatus: status, views: body?.checks?.views ?? [] };
  }

  /** Polls `condition` every 250 ms until it is true; throws after `timeoutMs`. */
  async waitFor(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
    const started = Date.now();
    // A condition may throw to say what is not there yet; the last such reason goes into the timeout's message.
    let lastReason = '';
    for (;;) {
      if (this.unexpectedExits.length > 0) throw new Error(`while waiting for ${what}: ${this.unexpectedExits.join('; ')}`);
      const met = await condition().catch((error: Error) => {
        lastReason = error.message;
        return false;
      });
      if (met) return;
      if (Date.now() - started > timeoutMs)
        throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${lastReason ? ` (last: ${lastReason})` : ''}`);
      await sleep(250);
    }
  }

  /** Orders flow: order-validation's orders view sees records on its topic (the load generator got going). */
  waitForFirstOrders(timeoutMs = 120_000): Promise<void> {
    return this.waitFor(
      async () =>
        ((await this.health('order-validation')).views.find((v) => v.view === 'orders')?.partitions ?? []).some((p) => p.highWatermark > 0),
      timeoutMs,
      'the first orders',
    );
  }

  /** Every running service answers GET /health/ready with 200 (views within HEALTH_MAX_LAG). */
  waitReady(timeoutMs = 120_000): Promise<void> {
    return this.waitFor(
      async () => (await Promise.all([...this.services.keys()].map((name) => this.health(name)))).every((h) => h.httpStatus === 200),
      timeoutMs,
      'every service to be ready',
    );
  }

  /** Processes that died while the test ran. */
  get crashes(): readonly string[] {
    return this.unexpectedExits;
  }

  /**
   * Waits until every running service's /health is 200 with lag 0 on every view, and the topics' high
   * watermarks (as the views report them) did not move between two such rounds: nothing is in flight.
   */
  async waitQuiescent(timeoutMs = 300_000, what = 'every view to catch up'): Promise<number> {
    const started = Date.now();
    let previous = '';
    let last = '';
    for (;;) {
      if (this.unexpectedExits.length > 0) throw new Error(`while waiting for ${what}: ${this.unexpectedExits.join('; ')}`);
      const snapshots = await Promise.all(
        [...this.services.keys()].map(async (name) => [name, await this.health(name).catch((e: Error) => e)] as const),
      );
      const lagging = snapshots.flatMap(([name, h]) =>
        h instanceof Error
          ? [`${name}: ${h.message}`]
          : h.httpStatus !== 200 || h.views.some((v) => v.lag !== 0 || v.status !== 'caught-up')
            ? [`${name}: HTTP ${h.httpStatus} ${h.views.map((v) => `${v.view} ${v.status} lag ${v.lag}`).join(', ')}`]
            : [],
      );
      const signature = JSON.stringify(
        snapshots.map(([name, h]) => [
          name,
          h instanceof Error ? null : h.views.map((v) => [v.view, v.partitions?.map((p) => p.highWatermark)]),
        ]),
      );
      if (lagging.length === 0 && signature === previous) {
        const ms = Date.now() - started;
        say(`${what}: done in ${(ms / 1000).toFixed(1)} s`);
        return ms;
      }
      previous = lagging.length === 0 ? signature : '';
      last = lagging.join(' | ');
      if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}: ${last}`);
      await sleep(lagging.length === 0 ? 1_500 : 1_000);
    }
  }

  /** Last log lines of every service, for failure messages. */
  logTails(lines = 15): string {
    return [...this.services.values(), ...(this.monolithApp ? [this.monolithApp] : [])]
      .map((s) => `--- ${s.name} (${path.relative(REPO_ROOT, s.process.logFile)})\n${tail(s.process.logFile, lines)}`)
      .join('\n');
  }

  /** Every record of one of the run's topics (`name` without the prefix), read from the start by a fresh group. */
  async readTopic(name: string, timeoutMs = 60_000): Promise<IncomingRecord[]> {
    const topic = `${this.topicPrefix}${name}`;
    const client = this.kafkaClient(`${this.runId}-read`);
    const admin = await client.admin();
    try {
      const total = (await admin.fetchOffsets(topic)).reduce((sum, p) => sum + Number(p.high - p.low), 0);
      return await readRecords(client, topic, `${this.runId}-read-${name}-${Date.now()}`, total, timeoutMs);
    } finally {
      await admin.disconnect();
    }
  }

  /** Stops every service (SIGTERM, SIGKILL after 20 s), drops their databases and the run's topics. */
  async stop(options: { keepState?: boolean } = {}): Promise<void> {
    this.stopping = true;
    const apps = [...this.services.values(), ...[...this.extraInstances.values()].flat(), ...(this.monolithApp ? [this.monolithApp] : [])];
    const results = await Promise.all(apps.map(async (s) => `${s.name} ${await stopProcess(s.process)}`));
    say(`stopped: ${results.join(', ')}`);
    if (options.keepState) {
      say(`kept databases ${this.databases.map((d) => d.name).join(', ')} and topics ${this.topicPrefix}*`);
      return;
    }
    await Promise.all(this.databases.map((d) => d.drop().catch((e: Error) => say(`could not drop ${d.name}: ${e.message}`))));
    await this.asAdmin(async (admin) => {
      const mine = (await admin.listTopics()).filter((t) => t.startsWith(this.topicPrefix));
      if (mine.length > 0) await admin.deleteTopics(mine);
      if (this.saslPasswords) await admin.deleteAcls(deploymentAcls(this.topicPrefix));
    }).catch((error: Error) => say(`could not delete the run's topics and ACLs: ${error.message}`));
  }
}
