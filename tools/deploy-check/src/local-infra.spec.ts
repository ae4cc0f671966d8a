import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { connectWorkerAcls, type AclBinding } from '@shop/kafka';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const INFRA = path.join(ROOT, 'infra', 'local');

interface NodeFacts {
  readonly id: number;
  readonly name: string;
  readonly roles: string;
  readonly port?: number;
  readonly controllerPort?: number;
  readonly dataDir: string;
}

interface Facts {
  readonly home: string;
  readonly profile: string;
  readonly brokers: number;
  readonly nodes: readonly NodeFacts[];
  readonly controllers: readonly NodeFacts[];
  readonly replication: { replicationFactor: number; minInsyncReplicas: number };
  readonly postgresPort: number;
  readonly connectPort: number;
  readonly connectGroup: string;
  readonly kafkaJars: string;
  readonly bootstrap: readonly string[];
  readonly properties: readonly string[];
  readonly controllerProperties: readonly string[];
  readonly principals: readonly string[];
  readonly connectStorageTopics: readonly string[];
  readonly connectWorkerAcls: readonly { resource: string; pattern: string; name: string; principal: string; operations: string[] }[];
}

/** The environment without the infra's own variables: no test here reaches a profile someone runs. */
const clean: Record<string, string | undefined> = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^(SHOP_|KAFKA_|PG_|CONNECT_)/.test(name)),
);

/**
 * What infra/local makes of an environment (plain ESM, loaded by a child: jest's VM would need
 * --experimental-vm-modules). Pure: loadConfig and serverProperties read env and write nothing.
 */
function infraFacts(env: Record<string, string>): Facts {
  const url = (file: string) => JSON.stringify(pathToFileURL(path.join(INFRA, file)).href);
  const script = `
    const { loadConfig } = await import(${url('config.mjs')});
    const { bootstrapServers, serverProperties } = await import(${url('kafka.mjs')});
    const { workerAcls } = await import(${url('connect.mjs')});
    const c = loadConfig();
    const PASSWORDS = Object.fromEntries(c.kafka.principals.map((name) => [name, 'pw-' + name]));
    process.stdout.write(JSON.stringify({
      home: c.home, profile: c.profile, brokers: c.kafka.brokers, nodes: c.kafka.nodes, controllers: c.kafka.controllers,
      replication: c.kafka.replication,
      postgresPort: c.postgres.port, connectPort: c.connect.port, connectGroup: c.connect.groupId, kafkaJars: c.kafka.jarsDir,
      bootstrap: bootstrapServers(c), properties: c.kafka.nodes.map((n) => serverProperties(c, n, PASSWORDS)),
      controllerProperties: c.kafka.controllers.map((n) => serverProperties(c, n, PASSWORDS)),
      principals: c.kafka.principals,
      connectStorageTopics: [c.connect.configTopic, c.connect.offsetTopic, c.connect.statusTopic], connectWorkerAcls: workerAcls(c),
    }));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...clean, SHOP_HOME: '/tmp/shop-home', ...env },
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as Facts;
}

const property = (properties: string, name: string) => new RegExp(`^${name.replace(/\./g, '\\.')}=(.*)$`, 'm').exec(properties)?.[1];

describe('infra/local profiles', () => {
  it('one broker by default, on the ports and in the directories it always had (CI uses it)', () => {
    const f = infraFacts({});
    expect(f).toMatchObject({
      home: '/tmp/shop-home',
      profile: 'single',
      brokers: 1,
      replication: { replicationFactor: 1, minInsyncReplicas: 1 },
      postgresPort: 55432,
      connectPort: 18083,
      connectGroup: 'shop-connect',
      kafkaJars: '/tmp/shop-home/kafka/jars',
      bootstrap: ['127.0.0.1:19092'],
    });
    expect(f.nodes).toEqual([
      expect.objectContaining({
        id: 1,
        roles: 'broker,controller',
        port: 19092,
        controllerPort: 19093,
        dataDir: '/tmp/shop-home/kafka/data',
      }),
    ]);
    expect(f.controllers).toEqual([]);
    const props = f.properties[0] ?? '';
    expect(property(props, 'process.roles')).toBe('broker,controller');
    expect(property(props, 'controller.quorum.bootstrap.servers')).toBe('127.0.0.1:19093');
    for (const name of [
      'default.replication.factor',
      'min.insync.replicas',
      'offsets.topic.replication.factor',
      'transaction.state.log.min.isr',
    ]) {
      expect([name, property(props, name)]).toEqual([name, '1']);
    }
  });

  it('makes every listener of the single broker ask for SASL PLAIN, one user per Kafka principal (the services, Connect, an admin, the node itself), under an authorizer', () => {
    const f = infraFacts({});
    expect(f.principals).toEqual(
      expect.arrayContaining(['admin', 'broker', 'connect', 'order-validation', 'shipping', 'fraud-detection', 'analytics']),
    );
    expect(f.principals).not.toContain('legacy-monolith');
    const props = f.properties[0] ?? '';
    // No open listener: clients on 19092 and the node to its controller on 19093 both sign in.
    expect(property(props, 'listeners')).toBe('SASL://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
    expect(property(props, 'listener.security.protocol.map')).toBe('SASL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT');
    expect(property(props, 'inter.broker.listener.name')).toBe('SASL');
    expect(props).not.toMatch(/PLAINTEXT:PLAINTEXT|PLAINTEXT:\/\//);
    for (const listener of ['sasl', 'controller']) {
      expect(property(props, `listener.name.${listener}.sasl.enabled.mechanisms`)).toBe('PLAIN');
      const jaas = property(props, `listener.name.${listener}.plain.sasl.jaas.config`) ?? '';
      for (const name of f.principals) expect(jaas).toContain(`user_${name}="pw-${name}"`);
      // What the node sends as a client of its own listeners.
      expect(jaas).toContain('username="broker" password="pw-broker"');
    }
    expect(property(props, 'sasl.mechanism.controller.protocol')).toBe('PLAIN');
    expect(property(props, 'sasl.mechanism.inter.broker.protocol')).toBe('PLAIN');
    // Each principal is held to its ACLs; only the node and the admin are super users, nobody else gets anything by default.
    expect(property(props, 'authorizer.class.name')).toBe('org.apache.kafka.metadata.authorizer.StandardAuthorizer');
    expect(property(props, 'super.users')).toBe('User:broker;User:admin');
    expect(property(props, 'allow.everyone.if.no.acl.found')).toBe('false');
    expect(infraFacts({ KAFKA_PORT: '29092' }).properties[0]).toContain('SASL://127.0.0.1:29092');
  });

  it('three brokers and three KRaft controllers apart from them with SHOP_KAFKA_BROKERS=3: own ports, directories, quorum of three voters', () => {
    const f = infraFacts({ SHOP_KAFKA_BROKERS: '3' });
    expect(f).toMatchObject({
      home: '/tmp/shop-home/cluster',
      profile: 'cluster',
      brokers: 3,
      postgresPort: 55532,
      connectPort: 18183,
      connectGroup: 'shop-connect-cluster',
      // The jar cache is shared with the single broker: one download.
      kafkaJars: '/tmp/shop-home/kafka/jars',
      bootstrap: ['127.0.0.1:19192', '127.0.0.1:19193', '127.0.0.1:19194'],
    });
    expect(f.nodes.map((n) => [n.name, n.roles, n.port, n.dataDir])).toEqual([
      ['kafka-1', 'broker', 19192, '/tmp/shop-home/cluster/kafka/broker-1/data'],
      ['kafka-2', 'broker', 19193, '/tmp/shop-home/cluster/kafka/broker-2/data'],
      ['kafka-3', 'broker', 19194, '/tmp/shop-home/cluster/kafka/broker-3/data'],
    ]);
    expect(f.controllers.map((n) => [n.name, n.id, n.roles, n.controllerPort, n.dataDir])).toEqual([
      ['controller-1', 101, 'controller', 19292, '/tmp/shop-home/cluster/kafka/controller-1/data'],
      ['controller-2', 102, 'controller', 19293, '/tmp/shop-home/cluster/kafka/controller-2/data'],
      ['controller-3', 103, 'controller', 19294, '/tmp/shop-home/cluster/kafka/controller-3/data'],
    ]);
    // Losing brokers never loses the quorum: it is on the controllers alone.
    const voters = '101@127.0.0.1:19292,102@127.0.0.1:19293,103@127.0.0.1:19294';
    f.properties.forEach((props, i) => {
      expect(property(props, 'node.id')).toBe(String(i + 1));
      expect(property(props, 'process.roles')).toBe('broker');
      expect(property(props, 'controller.quorum.voters')).toBe(voters);
      expect(property(props, 'listeners')).toBe(`SASL://127.0.0.1:${19192 + i}`);
    });
    f.controllerProperties.forEach((props, i) => {
      expect(property(props, 'node.id')).toBe(String(101 + i));
      expect(property(props, 'process.roles')).toBe('controller');
      expect(property(props, 'controller.quorum.voters')).toBe(voters);
      expect(property(props, 'listeners')).toBe(`CONTROLLER://127.0.0.1:${19292 + i}`);
    });
  });

  it('makes every listener of the cluster ask for SASL PLAIN too: the brokers, and the controllers the nodes sign in to as broker', () => {
    const f = infraFacts({ SHOP_KAFKA_BROKERS: '3' });
    for (const props of [...f.properties, ...f.controllerProperties]) {
      expect(props).not.toMatch(/PLAINTEXT:PLAINTEXT|PLAINTEXT:\/\//);
      expect(property(props, 'sasl.mechanism.controller.protocol')).toBe('PLAIN');
      expect(property(props, 'listener.name.controller.plain.sasl.jaas.config')).toContain('username="broker" password="pw-broker"');
      expect(property(props, 'authorizer.class.name')).toBe('org.apache.kafka.metadata.authorizer.StandardAuthorizer');
      expect(property(props, 'super.users')).toBe('User:broker;User:admin');
      expect(property(props, 'allow.everyone.if.no.acl.found')).toBe('false');
    }
    for (const props of f.properties) {
      expect(property(props, 'listener.security.protocol.map')).toBe('SASL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT');
      expect(property(props, 'inter.broker.listener.name')).toBe('SASL');
      expect(property(props, 'listener.name.sasl.plain.sasl.jaas.config')).toContain('user_shipping="pw-shipping"');
    }
    for (const props of f.controllerProperties) {
      expect(property(props, 'listener.security.protocol.map')).toBe('CONTROLLER:SASL_PLAINTEXT');
    }
  });

  it('replicates the topics and the internal topics three times, and acknowledges a write once two replicas have it', () => {
    const { replication, properties } = infraFacts({ SHOP_KAFKA_BROKERS: '3' });
    expect(replication).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
    const props = properties[0] ?? '';
    expect(
      Object.fromEntries(
        [
          'default.replication.factor',
          'min.insync.replicas',
          'offsets.topic.replication.factor',
          'transaction.state.log.replication.factor',
          'transaction.state.log.min.isr',
          'unclean.leader.election.enable',
        ].map((name) => [name, property(props, name)]),
      ),
    ).toEqual({
      'default.replication.factor': '3',
      'min.insync.replicas': '2',
      'offsets.topic.replication.factor': '3',
      'transaction.state.log.replication.factor': '3',
      'transaction.state.log.min.isr': '2',
      'unclean.leader.election.enable': 'false',
    });
  });

  it('gives the controllers the same topic defaults: in KRaft the active controller fills in a topic created without a replication factor', () => {
    const { controllerProperties } = infraFacts({ SHOP_KAFKA_BROKERS: '3' });
    expect(controllerProperties).toHaveLength(3);
    for (const props of controllerProperties) {
      expect(
        Object.fromEntries(
          ['num.partitions', 'default.replication.factor', 'min.insync.replicas', 'unclean.leader.election.enable'].map((name) => [
            name,
            property(props, name),
          ]),
        ),
      ).toEqual({
        'num.partitions': '1',
        'default.replication.factor': '3',
        'min.insync.replicas': '2',
        'unclean.leader.election.enable': 'false',
      });
    }
  });

  it("grants Kafka Connect's worker the ACLs compose's kafka-init grants it (@shop/kafka connectWorkerAcls)", () => {
    const facts = infraFacts({});
    const flat = facts.connectWorkerAcls.flatMap(({ operations, ...binding }) =>
      operations.map((operation) => ({ ...binding, operation })),
    );
    const key = (b: AclBinding) => `${b.principal} ${b.operation} ${b.resource} ${b.pattern} ${b.name}`;
    const expected = connectWorkerAcls({ principal: 'connect', groupId: facts.connectGroup, storageTopics: facts.connectStorageTopics });
    expect(flat.map((b) => key(b as AclBinding)).sort()).toEqual(expected.map(key).sort());
  });

  it('refuses a broker count it has no profile for', () => {
    expect(() => infraFacts({ SHOP_KAFKA_BROKERS: '2' })).toThrow(/SHOP_KAFKA_BROKERS must be 1 or 3 .*got "2"/);
  });

  it('the CLI takes --brokers for every command and refuses what the profile does not have, before touching anything', () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(INFRA, 'cli.mjs'), ...args], {
        encoding: 'utf8',
        env: { ...clean, SHOP_HOME: '/tmp/shop-home' },
      });
    const two = cli('status', '--brokers', '2');
    expect([two.status, two.stderr.trim()]).toEqual([1, '[infra] ERROR: --brokers must be 1 or 3 (got "2")']);
    const node = cli('kill', 'kafka-2');
    expect(node.status).toBe(1);
    expect(node.stderr).toContain('unknown component(s): kafka-2');
    expect(cli('help', '--brokers=3').stdout).toContain('--brokers 3 (or SHOP_KAFKA_BROKERS=3)');
  });
});

/** adminEnv and serviceEnv of infra/local/index.mjs for a given connection info (pure: they read nothing else). */
function envsFor(info: unknown): { admin: Record<string, string>; shipping: Record<string, string>; monolith: Record<string, string> } {
  const url = JSON.stringify(pathToFileURL(path.join(INFRA, 'index.mjs')).href);
  const script = `
    const { adminEnv, serviceEnv } = await import(${url});
    const info = ${JSON.stringify(info)};
    process.stdout.write(JSON.stringify({
      admin: adminEnv(info, {}), shipping: serviceEnv('shipping', info), monolith: serviceEnv('legacy-monolith', info),
    }));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...clean, SHOP_HOME: '/tmp/shop-home' },
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as ReturnType<typeof envsFor>;
}

describe('infra/local env: what a process started against the infra is given', () => {
  const single = {
    profile: 'single',
    kafkaBrokers: ['127.0.0.1:19092'],
    kafkaReplication: { replicationFactor: 1, minInsyncReplicas: 1 },
    postgresUrl: 'postgresql://postgres:pg@127.0.0.1:55432/postgres',
    databaseUrls: {
      shipping: 'postgresql://shipping:s@127.0.0.1:55432/shipping',
      legacy_monolith: 'postgresql://legacy_monolith:m@127.0.0.1:55432/legacy_monolith',
    },
    kafkaSasl: { mechanism: 'plain', passwords: { admin: 'a-pw', shipping: 's-pw' } },
  };

  it('signs an administering process (tests, CI, benchmarks) in as admin, with the superuser database', () => {
    expect(envsFor(single).admin).toEqual({
      KAFKA_BROKERS: '127.0.0.1:19092',
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: 'admin',
      KAFKA_SASL_PASSWORD: 'a-pw',
      DATABASE_URL: 'postgresql://postgres:pg@127.0.0.1:55432/postgres',
    });
  });

  it('gives a service started by hand its own principal and its own database role; the monolith no Kafka at all', () => {
    const { shipping, monolith } = envsFor(single);
    expect(shipping).toEqual({
      KAFKA_BROKERS: '127.0.0.1:19092',
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: 'shipping',
      KAFKA_SASL_PASSWORD: 's-pw',
      DATABASE_URL: 'postgresql://shipping:s@127.0.0.1:55432/shipping',
    });
    expect(monolith).toEqual({ DATABASE_URL: 'postgresql://legacy_monolith:m@127.0.0.1:55432/legacy_monolith' });
  });

  it('on the cluster profile: the admin on all three brokers, and the replication its topics need', () => {
    const brokers = ['127.0.0.1:19192', '127.0.0.1:19193', '127.0.0.1:19194'];
    const cluster = {
      ...single,
      profile: 'cluster',
      kafkaBrokers: brokers,
      kafkaReplication: { replicationFactor: 3, minInsyncReplicas: 2 },
    };
    expect(envsFor(cluster).admin).toEqual({
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: 'admin',
      KAFKA_SASL_PASSWORD: 'a-pw',
      DATABASE_URL: 'postgresql://postgres:pg@127.0.0.1:55432/postgres',
      KAFKA_REPLICATION_FACTOR: '3',
      KAFKA_MIN_INSYNC_REPLICAS: '2',
    });
  });
});
