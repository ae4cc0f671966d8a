/**
 * docker-compose.cluster.yml, the three-broker variant, merged over docker-compose.yml as
 * `docker compose -f docker-compose.yml -f docker-compose.cluster.yml` does, and validated by construction
 * (no Docker engine here): the Compose Specification schema, then the cluster's own consistency: three KRaft
 * controllers apart from the three brokers, all naming the same voters, replication 3 / min.insync.replicas 2
 * everywhere, every Kafka client on all three brokers.
 */
import Ajv from 'ajv';
import { parse } from 'yaml';
import { topicReplicationFromEnv } from '@shop/kafka';
import { envOf, kafkaImageProperties } from './compose-model';
import { read } from './workspace';

type Yaml = Record<string, unknown>;

const isMap = (v: unknown): v is Yaml => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Compose's merge of an override file (compose-spec "Merge and override"): mappings merge key by key, the
 * sequences `ports` and `volumes` are appended to, every other value is replaced.
 */
function mergeCompose(base: unknown, override: unknown, key = ''): unknown {
  if (isMap(base) && isMap(override)) {
    const out: Yaml = { ...base };
    for (const [k, v] of Object.entries(override)) out[k] = k in base ? mergeCompose(base[k], v, k) : v;
    return out;
  }
  if (Array.isArray(base) && Array.isArray(override) && ['ports', 'volumes'].includes(key)) return [...new Set([...base, ...override])];
  return override;
}

const load = (file: string) => parse(read(file), { merge: true }) as Yaml;
const base = load('docker-compose.yml');
const override = load('docker-compose.cluster.yml');
const merged = mergeCompose(base, override) as { services: Record<string, Yaml>; volumes: Yaml };
const services = merged.services;
const baseServices = base['services'] as Record<string, Yaml>;

const NODES = ['kafka', 'kafka-2', 'kafka-3'];
const CONTROLLERS = ['controller-1', 'controller-2', 'controller-3'];
const VOTERS = '101@controller-1:9093,102@controller-2:9093,103@controller-3:9093';
const BROKERS = 'kafka:9092,kafka-2:9092,kafka-3:9092';

describe('docker-compose.cluster.yml over docker-compose.yml', () => {
  it('is valid against the Compose Specification JSON schema once merged', () => {
    const schema = JSON.parse(read('tools/deploy-check/compose-spec.json')) as Yaml;
    const { $schema: _declared, ...body } = schema;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(body);
    expect(validate(merged) ? [] : validate.errors).toEqual([]);
  });

  it('overrides only services of docker-compose.yml, besides the controllers and two new brokers (no typo makes a new service)', () => {
    const added = Object.keys(override['services'] as Yaml).filter((name) => !(name in baseServices));
    expect(added).toEqual([...CONTROLLERS, 'kafka-2', 'kafka-3']);
  });

  it('runs three KRaft controllers apart from the brokers: the three voters, on the one cluster id, no host port', () => {
    const envs = CONTROLLERS.map((name) => envOf(services[name]));
    expect(envs.map((e) => e['KAFKA_NODE_ID'])).toEqual(['101', '102', '103']);
    for (const [i, e] of envs.entries()) {
      const name = CONTROLLERS[i] ?? '';
      expect({
        name,
        cluster: e['CLUSTER_ID'],
        roles: e['KAFKA_PROCESS_ROLES'],
        voters: e['KAFKA_CONTROLLER_QUORUM_VOTERS'],
        listeners: e['KAFKA_LISTENERS'],
        ports: services[name]?.['ports'],
      }).toEqual({
        name,
        cluster: envOf(baseServices['kafka'])['CLUSTER_ID'],
        roles: 'controller',
        voters: VOTERS,
        listeners: 'CONTROLLER://:9093',
        ports: undefined,
      });
      expect(VOTERS.split(',')[i]).toBe(`${e['KAFKA_NODE_ID']}@${name}:9093`);
      const volume = ((services[name]?.['volumes'] as string[] | undefined) ?? [])[0]?.split(':')[0];
      expect(merged.volumes).toHaveProperty(String(volume));
    }
  });

  it('runs three brokers that register with the controllers, each advertising its own name and host port', () => {
    const envs = NODES.map((name) => envOf(services[name]));
    expect(envs.map((e) => e['KAFKA_NODE_ID'])).toEqual(['1', '2', '3']);
    expect(new Set(envs.map((e) => e['CLUSTER_ID'])).size).toBe(1);
    expect(envs[0]?.['CLUSTER_ID']).toBe(envOf(baseServices['kafka'])['CLUSTER_ID']);
    for (const [i, e] of envs.entries()) {
      const name = NODES[i] ?? '';
      const hostPort = 19092 + i;
      expect({ name, roles: e['KAFKA_PROCESS_ROLES'], voters: e['KAFKA_CONTROLLER_QUORUM_VOTERS'] }).toEqual({
        name,
        roles: 'broker',
        voters: VOTERS,
      });
      // A broker only: no controller listener of its own.
      expect(e['KAFKA_LISTENERS']).toBe(`INTERNAL://:9092,HOST://:${hostPort}`);
      expect(e['KAFKA_ADVERTISED_LISTENERS']).toBe(`INTERNAL://${name}:9092,HOST://localhost:${hostPort}`);
      expect(services[name]?.['ports']).toEqual([`127.0.0.1:${hostPort}:${hostPort}`]);
    }
    const dataVolumes = NODES.map((name) => ((services[name]?.['volumes'] as string[] | undefined) ?? [])[0]?.split(':')[0]);
    expect(dataVolumes).toEqual(['kafka-data', 'kafka-2-data', 'kafka-3-data']);
    for (const v of dataVolumes) expect(merged.volumes).toHaveProperty(String(v));
  });

  it('replicates the topics and the brokers’ own topics three times, with two in sync for a write', () => {
    for (const name of NODES) {
      const e = envOf(services[name]);
      expect({
        name,
        rf: e['KAFKA_DEFAULT_REPLICATION_FACTOR'],
        isr: e['KAFKA_MIN_INSYNC_REPLICAS'],
        offsets: e['KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR'],
        transactions: [e['KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR'], e['KAFKA_TRANSACTION_STATE_LOG_MIN_ISR']],
        unclean: e['KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE'],
      }).toEqual({ name, rf: '3', isr: '2', offsets: '3', transactions: ['3', '2'], unclean: 'false' });
    }
    // In KRaft the active controller fills in a topic created without a replication factor and runs the elections.
    for (const name of CONTROLLERS) {
      const e = envOf(services[name]);
      expect({
        name,
        partitions: e['KAFKA_NUM_PARTITIONS'],
        rf: e['KAFKA_DEFAULT_REPLICATION_FACTOR'],
        isr: e['KAFKA_MIN_INSYNC_REPLICAS'],
        unclean: e['KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE'],
      }).toEqual({ name, partitions: '1', rf: '3', isr: '2', unclean: 'false' });
    }
    const connect = envOf(services['connect']);
    expect([
      connect['BOOTSTRAP_SERVERS'],
      connect['CONFIG_STORAGE_REPLICATION_FACTOR'],
      connect['OFFSET_STORAGE_REPLICATION_FACTOR'],
      connect['STATUS_STORAGE_REPLICATION_FACTOR'],
    ]).toEqual([BROKERS, '3', '3', '3']);
  });

  it('gives every Kafka client all three brokers and the replication, and starts it after all three nodes', () => {
    const clients = Object.keys(baseServices).filter((name) => 'KAFKA_BROKERS' in envOf(baseServices[name]));
    expect(clients.length).toBeGreaterThan(5);
    for (const name of clients) {
      const e = envOf(services[name]);
      // kafka-init grants ACLs and creates no topic: the brokers only.
      expect({ name, brokers: e['KAFKA_BROKERS'], replication: name === 'kafka-init' ? undefined : topicReplicationFromEnv(e) }).toEqual({
        name,
        brokers: BROKERS,
        replication: name === 'kafka-init' ? undefined : { replicationFactor: 3, minInsyncReplicas: 2 },
      });
      const deps = (services[name]?.['depends_on'] ?? {}) as Yaml;
      // The load generator waits for the services, which wait for the nodes.
      if ('kafka' in deps) expect({ name, deps: NODES.filter((n) => !(n in deps)) }).toEqual({ name, deps: [] });
    }
  });

  it('asks for SASL PLAIN on every listener of every node, the controllers included, and runs the authorizer on each', () => {
    const jaasMount = { source: 'kafka-jaas', target: '/etc/kafka/jaas.conf' };
    for (const name of [...CONTROLLERS, ...NODES]) {
      const e = envOf(services[name]);
      // As the apache/kafka image renders the variables (none dropped, see compose-model).
      const { properties, dropped } = kafkaImageProperties(e);
      const protocols = Object.fromEntries((properties['listener.security.protocol.map'] ?? '').split(',').map((p) => p.split(':')));
      const used = [...(properties['listeners'] ?? '').split(','), `${properties['controller.listener.names']}://`].map(
        (l) => l.split('://')[0] ?? '',
      );
      expect({
        name,
        dropped,
        protocols: [...new Set(used.map((l) => protocols[l]))],
        mechanisms: properties['sasl.enabled.mechanisms'],
        toControllers: properties['sasl.mechanism.controller.protocol'],
        authorizer: properties['authorizer.class.name'],
        superUsers: properties['super.users'],
        jaas: e['KAFKA_OPTS'],
        mounted: (services[name]?.['configs'] as unknown[] | undefined)?.[0],
        healthcheck: JSON.stringify((services[name]?.['healthcheck'] as Yaml | undefined)?.['test']).includes(
          '--command-config /etc/kafka/healthcheck.properties',
        ),
      }).toEqual({
        name,
        dropped: [],
        protocols: ['SASL_PLAINTEXT'],
        mechanisms: 'PLAIN',
        toControllers: 'PLAIN',
        authorizer: 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
        superUsers: 'User:broker;User:admin',
        jaas: '-Djava.security.auth.login.config=/etc/kafka/jaas.conf',
        mounted: jaasMount,
        healthcheck: true,
      });
      if (NODES.includes(name)) expect(properties['sasl.mechanism.inter.broker.protocol']).toBe('PLAIN');
    }
    expect((merged as Yaml)['configs']).toHaveProperty('kafka-jaas');
  });

  it('leaves docker-compose.yml itself a single node with one copy of everything', () => {
    const e = envOf(baseServices['kafka']);
    expect([e['KAFKA_CONTROLLER_QUORUM_VOTERS'], e['KAFKA_DEFAULT_REPLICATION_FACTOR'], e['KAFKA_MIN_INSYNC_REPLICAS']]).toEqual([
      '1@kafka:9093',
      '1',
      '1',
    ]);
  });
});
