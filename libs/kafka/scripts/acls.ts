/**
 * The ACLs of one deployment, derived from the services manifest and the topic catalogue (deploymentAcls): each Kafka
 * service may write the topics it is the writer of, read what it consumes, use its own consumer groups; Kafka Connect
 * (principal `connect`) may write the topics published through CDC.
 *
 *   npm run kafka:acls -- grant    # add them (adding one that exists changes nothing)
 *   npm run kafka:acls -- revoke   # remove them
 *   npm run kafka:acls -- list     # print them, one per line, without calling a broker
 *
 * Env: KAFKA_BROKERS (default 127.0.0.1:19092, the local broker, which asks for SASL), KAFKA_SASL_MECHANISM /
 * KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD (a principal allowed to alter ACLs: the admin), KAFKA_SSL, TOPIC_PREFIX
 * (default ''); CONNECT_GROUP_ID with CONNECT_STORAGE_TOPICS (comma-separated) add the ACLs of the Kafka Connect worker
 * of that group (connectWorkerAcls), which it needs before it starts. npm start grants them before it starts the
 * services; compose's one-shot kafka-init runs the compiled script before the services and Connect start.
 */
import { KafkajsClient, connectWorkerAcls, deploymentAcls, kafkaSecurityFromEnv, type AclBinding } from '../src';

const CDC_PRINCIPAL = 'connect';

/** The Connect worker's ACLs when CONNECT_GROUP_ID and CONNECT_STORAGE_TOPICS say which worker; both or neither. */
function workerAcls(env: NodeJS.ProcessEnv): AclBinding[] {
  const groupId = env['CONNECT_GROUP_ID']?.trim() || undefined;
  const storageTopics = (env['CONNECT_STORAGE_TOPICS'] ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (groupId === undefined && storageTopics.length === 0) return [];
  if (groupId === undefined || storageTopics.length !== 3)
    throw new Error(
      'CONNECT_GROUP_ID and CONNECT_STORAGE_TOPICS go together: the worker group.id, and its config, offset and status ' +
        `storage topics, comma-separated (got CONNECT_GROUP_ID=${groupId ?? '(unset)'}, ${storageTopics.length} topics)`,
    );
  return connectWorkerAcls({ principal: CDC_PRINCIPAL, groupId, storageTopics });
}

async function main(): Promise<void> {
  const command = process.argv[2] ?? 'list';
  const acls = [...deploymentAcls(process.env['TOPIC_PREFIX'] ?? '', CDC_PRINCIPAL), ...workerAcls(process.env)];
  if (command === 'list') {
    process.stdout.write(acls.map((b) => `${b.principal} ${b.operation} ${b.resource} ${b.pattern} ${b.name}\n`).join(''));
    return;
  }
  if (command !== 'grant' && command !== 'revoke') throw new Error(`unknown command "${command}": grant, revoke or list`);
  const client = new KafkajsClient({
    clientId: 'kafka-acls-cli',
    brokers: (process.env['KAFKA_BROKERS'] || '127.0.0.1:19092').split(','),
    security: kafkaSecurityFromEnv(),
  });
  const admin = await client.admin();
  try {
    await (command === 'grant' ? admin.createAcls(acls) : admin.deleteAcls(acls));
  } finally {
    await admin.disconnect();
  }
  const principals = [...new Set(acls.map((b) => b.principal))];
  process.stdout.write(`${command === 'grant' ? 'granted' : 'revoked'} ${acls.length} ACLs of ${principals.join(', ')}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`kafka:acls: ${error.message}\n`);
  process.exit(1);
});
