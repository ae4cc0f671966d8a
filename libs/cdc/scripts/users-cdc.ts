/**
 * Starts, inspects or stops change data capture of the legacy monolith's users table:
 *
 *   npm run cdc:users -- register   # provision <prefix>users (compacted), register the connector, wait until RUNNING
 *   npm run cdc:users -- status
 *   npm run cdc:users -- delete     # remove the connector (slot and publication stay; see docs/strangler.md)
 *
 * Env: MONOLITH_DATABASE_URL (register needs it: the monolith's database as the monolith's own role, which owns the
 * users table and may replicate; locally `$(node infra/local/cli.mjs db-url legacy_monolith)`), KAFKA_BROKERS
 * (default 127.0.0.1:19092), CONNECT_URL (default http://127.0.0.1:18083), TOPIC_PREFIX (default '').
 * The database host as seen by the Connect worker is DATABASE_HOST_FOR_CONNECT (default: the URL's host).
 */
import { Topics, serviceNamed, withTopicPrefix } from '@shop/contracts';
import { KafkajsClient, provisionTopics, kafkaSecurityFromEnv } from '@shop/kafka';
import { ConnectClient, usersCdcConnector } from '../src';

const env = (name: string, fallback: string) => process.env[name] || fallback;

async function main(): Promise<void> {
  const command = process.argv[2] ?? 'status';
  const databaseUrl = new URL(env('MONOLITH_DATABASE_URL', `postgresql://127.0.0.1:55432/${serviceNamed('legacy-monolith').database}`));
  const prefix = env('TOPIC_PREFIX', '');
  const connect = new ConnectClient(env('CONNECT_URL', 'http://127.0.0.1:18083'));
  const database = decodeURIComponent(databaseUrl.pathname.slice(1));
  const suffix = `${prefix}${database}`.replace(/[^a-z0-9_]/g, '_');
  const connector = usersCdcConnector({
    connectorName: `${prefix}users-cdc`,
    database: {
      host: env('DATABASE_HOST_FOR_CONNECT', databaseUrl.hostname),
      port: Number(databaseUrl.port || 5432),
      name: database,
      user: decodeURIComponent(databaseUrl.username),
      password: decodeURIComponent(databaseUrl.password),
    },
    targetTopic: withTopicPrefix(Topics.users, prefix).name,
    serverName: `${prefix}monolith`,
    slotName: `users_cdc_${suffix}`.slice(0, 63),
    publicationName: `users_cdc_${suffix}`.slice(0, 63),
  });

  if (command === 'register') {
    if (databaseUrl.username === '' || databaseUrl.password === '') {
      throw new Error(
        "MONOLITH_DATABASE_URL with the credentials Debezium connects with is needed to register: the monolith's own role " +
          '(it owns the users table and may replicate). Locally: MONOLITH_DATABASE_URL=$(node infra/local/cli.mjs db-url legacy_monolith)',
      );
    }
    const kafka = new KafkajsClient({
      clientId: 'users-cdc-cli',
      brokers: env('KAFKA_BROKERS', '127.0.0.1:19092').split(','),
      security: kafkaSecurityFromEnv(),
    });
    const admin = await kafka.admin();
    try {
      // Connect never creates topics here: the compacted changelog must exist first.
      await provisionTopics(admin, [withTopicPrefix(Topics.users, prefix)]);
    } finally {
      await admin.disconnect();
    }
    await connect.requirePlugins([connector]);
    await connect.upsert(connector);
    const status = await connect.waitUntilRunning(connector.name);
    process.stdout.write(`${connector.name}: ${status.connector.state} → ${connector.config['transforms.route.replacement']}\n`);
  } else if (command === 'status') {
    const status = await connect.status(connector.name);
    process.stdout.write(`${connector.name}: ${status ? JSON.stringify(status) : 'not registered'}\n`);
  } else if (command === 'delete') {
    const deleted = await connect.delete(connector.name);
    process.stdout.write(`${connector.name}: ${deleted ? 'deleted' : 'was not registered'}\n`);
  } else {
    throw new Error(`unknown command "${command}" (register | status | delete)`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
