/**
 * Starts, inspects or stops the export of validated orders and shipments into the warehouse database (Debezium's
 * JDBC sink on Kafka Connect; the connectors are in infra/connect/warehouse-sink.connector.json):
 *
 *   npm run warehouse:sink -- register   # create the warehouse tables, provision the topics, register both connectors
 *   npm run warehouse:sink -- status
 *   npm run warehouse:sink -- delete     # remove the connectors (rows and consumer offsets stay)
 *
 * Env: WAREHOUSE_DATABASE_URL (required: the warehouse database, e.g. the local infra's `warehouse`), KAFKA_BROKERS
 * (default 127.0.0.1:19092), CONNECT_URL (default http://127.0.0.1:18083), TOPIC_PREFIX (default ''). With KAFKA_SASL_*
 * (an admin principal: `eval "$(node infra/local/cli.mjs env)"` locally), register also grants Connect's principal
 * (CONNECT_PRINCIPAL, default connect) what the sink reads and writes.
 * The database host as seen by the Connect worker is DATABASE_HOST_FOR_CONNECT (default: the URL's host).
 */
import { Client } from 'pg';
import { KafkajsClient, provisionTopics, kafkaSecurityFromEnv } from '@shop/kafka';
import { ConnectClient, databaseFromUrl, warehouseDdl, warehouseSinkAcls, warehouseSinkConnectors, warehouseSinkTopics } from '../src';

const env = (name: string, fallback: string) => process.env[name] || fallback;

function warehouseUrl(): string {
  const url = process.env['WAREHOUSE_DATABASE_URL'];
  if (!url) {
    throw new Error(
      'WAREHOUSE_DATABASE_URL is not set. Locally: WAREHOUSE_DATABASE_URL=$(node infra/local/cli.mjs db-url warehouse) ' +
        '(`npm run infra:up` creates the database, owned by its own role `warehouse`)',
    );
  }
  return url;
}

async function main(): Promise<void> {
  const command = process.argv[2] ?? 'status';
  const prefix = env('TOPIC_PREFIX', '');
  const connect = new ConnectClient(env('CONNECT_URL', 'http://127.0.0.1:18083'));
  const url = warehouseUrl();
  const database = databaseFromUrl(url);
  const connectors = warehouseSinkConnectors({
    namePrefix: prefix,
    topicPrefix: prefix,
    database: { ...database, host: env('DATABASE_HOST_FOR_CONNECT', database.host) },
  });

  if (command === 'register') {
    await connect.requirePlugins(connectors);
    // The tables first (the sink never creates or alters them), then the topics and their dead-letter topics.
    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      await db.query(warehouseDdl());
    } finally {
      await db.end();
    }
    const security = kafkaSecurityFromEnv();
    const kafka = new KafkajsClient({
      clientId: 'warehouse-sink-cli',
      brokers: env('KAFKA_BROKERS', '127.0.0.1:19092').split(','),
      security,
    });
    const admin = await kafka.admin();
    try {
      // Brokers that ask who is calling check ACLs: the caller (an admin principal) grants Connect's for the sink.
      if (security.sasl) await admin.createAcls(warehouseSinkAcls(prefix, env('CONNECT_PRINCIPAL', 'connect')));
      await provisionTopics(admin, warehouseSinkTopics(prefix));
    } finally {
      await admin.disconnect();
    }
    for (const connector of connectors) await connect.upsert(connector);
    for (const connector of connectors) {
      const status = await connect.waitUntilRunning(connector.name);
      process.stdout.write(
        `${connector.name}: ${status.connector.state} ${connector.config['topics']} → ${database.name}.${connector.config['collection.name.format']}\n`,
      );
    }
  } else if (command === 'status') {
    for (const connector of connectors) {
      const status = await connect.status(connector.name);
      process.stdout.write(`${connector.name}: ${status ? JSON.stringify(status) : 'not registered'}\n`);
    }
  } else if (command === 'delete') {
    for (const connector of connectors) {
      const deleted = await connect.delete(connector.name);
      process.stdout.write(`${connector.name}: ${deleted ? 'deleted' : 'was not registered'}\n`);
    }
  } else {
    throw new Error(`unknown command "${command}" (register | status | delete)`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
