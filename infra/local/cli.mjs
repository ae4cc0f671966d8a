#!/usr/bin/env node
// Local infrastructure without Docker: a single-node Kafka (KRaft), an embedded PostgreSQL and a Kafka
// Connect worker with Debezium (change data capture).
// Usage: node infra/local/cli.mjs <install|up|down|status|ensure|reset|kill> [kafka|postgres|connect ...] [--brokers 1|3] [--json] [--force]
import { BROKER_COUNTS, brokerCountFromEnv } from './config.mjs';
import {
  InfraError,
  adminEnv,
  componentNames,
  connectionInfo,
  down,
  ensure,
  install,
  kill,
  loadConfig,
  reset,
  serviceEnv,
  status,
} from './index.mjs';

const USAGE = `usage: node infra/local/cli.mjs <command> [kafka|postgres|connect ...] [--brokers 1|3] [--json]

profiles: --brokers 1 (default): one broker on 127.0.0.1:19092, PostgreSQL 55432, Connect 18083, in $SHOP_HOME.
          --brokers 3 (or SHOP_KAFKA_BROKERS=3): three brokers on 127.0.0.1:19192-19194 and three KRaft controllers
            apart from them (19292-19294), topics replicated 3 times with min.insync.replicas=2, PostgreSQL 55532,
            Connect 18183, all in $SHOP_HOME/cluster; its nodes are components too: \`kill kafka-2\`, \`up kafka-2\`,
            \`kill controller-1\`.
          Give the same --brokers to every command of a profile (up, status, kill, down, reset).

commands:
  install   fetch the jars with Maven: Kafka into $SHOP_HOME/kafka/jars (infra/kafka/pom.xml), Kafka Connect and
            the Debezium plugin into $SHOP_HOME/connect (infra/connect/pom.xml); only when a pom changed (--force to redo)
  up        start Kafka, PostgreSQL and Kafka Connect (whatever is not running yet; connect needs kafka, so
            \`up connect\` starts kafka too) and create the service databases
  ensure    same as up; with --json prints {"started":{...},"info":{...}} on stdout
  status    print what runs; exit 0 if everything is up and healthy, 1 otherwise
  down      stop (all, or the components named)
  reset     down + delete the data directories (keeps the jar cache)
  kill      SIGKILL (all, or the components named), for chaos tests; \`up\` restarts them
  env       print \`export\` lines for a shell that uses the infra as its admin (\`eval "$(node infra/local/cli.mjs env)"\`):
            KAFKA_BROKERS with the admin principal's KAFKA_SASL_* (the broker asks every client), DATABASE_URL as the
            superuser; \`env shipping\`: as that service (its principal, its database role), to start one by hand
  db-url    print the URL of a service database as its own role (\`db-url shipping\`: DATABASE_URL for a service
            started by hand); each service database is owned by a role of that name, the superuser is the infra's

environment: SHOP_HOME (default ~/.cache/event-driven-shop), SHOP_KAFKA_BROKERS (1), KAFKA_PORT (19092),
             KAFKA_CONTROLLER_PORT (19093), KAFKA_CLUSTER_PORT (19192), KAFKA_CLUSTER_CONTROLLER_PORT (19292),
             PG_PORT (55432; cluster 55532), PG_DATA_DIR, PG_FSYNC=off, KAFKA_HEAP_OPTS (-Xmx512m; cluster -Xmx384m
             per broker), KAFKA_CONTROLLER_HEAP_OPTS (cluster controllers, -Xmx256m), CONNECT_PORT (18083; cluster 18183), CONNECT_HEAP_OPTS, JAVA_HOME`;

function printStatus(s) {
  for (const [name, c] of Object.entries(s.components)) {
    const state = !c.running ? 'stopped' : c.healthy ? 'healthy' : 'NOT ANSWERING';
    process.stdout.write(`${name.padEnd(12)} ${state.padEnd(14)} pid ${String(c.pid ?? '-').padEnd(8)} port ${c.port}\n`);
  }
  const c = s.components;
  if (c.kafka.healthy) {
    const r = s.info.kafkaReplication;
    process.stdout.write(`brokers   ${s.info.kafkaBrokers.join(',')}\n`);
    process.stdout.write(
      `topics    KAFKA_REPLICATION_FACTOR=${r.replicationFactor} KAFKA_MIN_INSYNC_REPLICAS=${r.minInsyncReplicas} (${s.info.profile} profile)\n`,
    );
    if (s.info.kafkaSasl) {
      process.stdout.write(
        `sasl      every client signs in (KAFKA_SASL_MECHANISM=plain) as a principal: ${Object.keys(s.info.kafkaSasl.passwords).join(', ')}\n` +
          `          as admin: eval "$(node infra/local/cli.mjs env)"; as a service: env <service>; passwords in status --json\n`,
      );
    }
  }
  if (c.postgres.healthy) {
    process.stdout.write(`postgres  ${s.info.postgresUrl} (superuser, for the infra scripts and tests)\n`);
    process.stdout.write(
      `          service databases, each as its own role: node infra/local/cli.mjs db-url <${s.info.databases.join('|')}>\n`,
    );
  }
  if (c.connect.healthy) process.stdout.write(`connect   ${s.info.connectUrl}\n`);
}

/** The URL of one database as its own role (a service's DATABASE_URL). */
function printDatabaseUrl(names) {
  const info = connectionInfo();
  if (names.length !== 1 || !info.databaseUrls[names[0]]) {
    throw new InfraError(`db-url takes one database: ${Object.keys(info.databaseUrls).join(', ')}`);
  }
  process.stdout.write(`${info.databaseUrls[names[0]]}\n`);
  return 0;
}

/** adminEnv (or one service's serviceEnv) as shell `export` lines (single-quoted: a password may hold any character). */
function printEnv(names) {
  if (names.length > 1) throw new InfraError(`env takes at most one service (got ${names.join(' ')})`);
  const env = names.length === 0 ? adminEnv(connectionInfo(), process.env) : serviceEnv(names[0]);
  const quote = (value) => `'${String(value).replaceAll("'", "'\\''")}'`;
  for (const [name, value] of Object.entries(env)) process.stdout.write(`export ${name}=${quote(value)}\n`);
  return 0;
}

/** `--brokers 3` / `--brokers=3` → SHOP_KAFKA_BROKERS (read by loadConfig); the other arguments. */
function takeBrokers(args) {
  const rest = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const inline = /^--brokers=(.*)$/.exec(arg);
    if (inline || arg === '--brokers') {
      const value = inline ? inline[1] : args[++i];
      if (value === undefined || !BROKER_COUNTS.includes(Number(value))) {
        throw new InfraError(`--brokers must be ${BROKER_COUNTS.join(' or ')} (got ${value === undefined ? 'nothing' : `"${value}"`})`);
      }
      process.env.SHOP_KAFKA_BROKERS = value;
    } else rest.push(arg);
  }
  try {
    brokerCountFromEnv();
  } catch (err) {
    throw new InfraError(err.message);
  }
  return rest;
}

async function main(argv) {
  const [command, ...args] = argv;
  const rest = takeBrokers(args);
  const json = rest.includes('--json');
  const force = rest.includes('--force');
  const only = rest.filter((a) => !a.startsWith('--'));
  if (command === 'db-url') return printDatabaseUrl(only);
  if (command === 'env') return printEnv(only);
  const known = componentNames(loadConfig());
  const unknown = only.filter((a) => !known.includes(a));
  if (unknown.length > 0) throw new InfraError(`unknown component(s): ${unknown.join(', ')}\n\n${USAGE}`);

  switch (command) {
    case 'install':
      await install({ force, only });
      return 0;
    case 'up':
    case 'ensure': {
      const result = await ensure({ only });
      if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else if (command === 'up') printStatus(await status());
      return 0;
    }
    case 'status': {
      const s = await status();
      if (json) process.stdout.write(`${JSON.stringify(s)}\n`);
      else printStatus(s);
      return s.ok ? 0 : 1;
    }
    case 'down': {
      const stopped = await down({ only });
      if (json) process.stdout.write(`${JSON.stringify({ stopped })}\n`);
      return 0;
    }
    case 'kill': {
      // Chaos testing: SIGKILL, no shutdown (`up` starts them again, with crash recovery).
      const killed = await kill({ only });
      console.log(JSON.stringify(killed));
      break;
    }
    case 'reset':
      await reset();
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`unknown command "${command}"\n\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`[infra] ERROR: ${err instanceof InfraError ? err.message : (err?.stack ?? err)}\n`);
    process.exitCode = 1;
  },
);
