import * as fs from 'node:fs';
import * as path from 'node:path';
import { Topics, deadLetterTopicName, withTopicPrefix } from '@shop/contracts';
import { topicAcls, type AclBinding } from '@shop/kafka';
import { connectSchemaOfTopic } from './connect-schema';
import type { ConnectorDefinition, UsersCdcParams } from './users-cdc-connector';

const TEMPLATE_IN_REPO = path.join('infra', 'connect', 'warehouse-sink.connector.json');
const DDL_IN_REPO = path.join('infra', 'connect', 'warehouse.sql');

/** `relative` in the first directory above this file (or above the working directory) that has it. */
function findInRepo(relative: string, envVar: string): string {
  const fromEnv = process.env[envVar];
  if (fromEnv) return path.resolve(fromEnv);
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, relative);
      if (fs.existsSync(candidate)) return candidate;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error(`${relative} not found above ${__dirname} or ${process.cwd()}; set ${envVar}`);
}

/** infra/connect/warehouse-sink.connector.json ($WAREHOUSE_SINK_CONNECTOR_TEMPLATE overrides). */
export function warehouseSinkTemplatePath(): string {
  return findInRepo(TEMPLATE_IN_REPO, 'WAREHOUSE_SINK_CONNECTOR_TEMPLATE');
}

/** The warehouse tables, infra/connect/warehouse.sql ($WAREHOUSE_DDL overrides): idempotent, run before registering. */
export function warehouseDdl(): string {
  return fs.readFileSync(findInRepo(DDL_IN_REPO, 'WAREHOUSE_DDL'), 'utf8');
}

interface SinkTemplate {
  common: Record<string, unknown>;
  connectors: { name: string; config: Record<string, unknown> }[];
}

export interface WarehouseSinkParams {
  /** Prepended to the connector names (and so to their consumer groups, `connect-<name>`). */
  readonly namePrefix: string;
  /** The system's topic prefix (`TOPIC_PREFIX`): the sink reads `<prefix>order-validations` and `<prefix>shipments`. */
  readonly topicPrefix: string;
  /** The warehouse database as the Connect worker reaches it. */
  readonly database: UsersCdcParams['database'];
}

/** The topics the sink reads, with their dead-letter topics: the catalogue's, under the system's prefix. */
export function warehouseSinkTopics(topicPrefix: string) {
  return [withTopicPrefix(Topics.orderValidations, topicPrefix), withTopicPrefix(Topics.shipments, topicPrefix)] as const;
}

/**
 * What Kafka Connect's principal needs for the sink on a broker that checks ACLs: read both topics, and write (and
 * create, and see) their dead-letter topics, where the sink sends a record it cannot convert. Its consumer groups
 * (`connect-<connector>`) come with the worker's ACLs (infra/local connect.mjs grants them when it starts the worker).
 */
export function warehouseSinkAcls(topicPrefix: string, principalName = 'connect'): AclBinding[] {
  const principal = `User:${principalName}`;
  // The sink's topic definitions carry the prefix already.
  const topics = warehouseSinkTopics(topicPrefix).map((t) => t.name);
  return [
    ...topicAcls(principal, '', topics, ['read']),
    ...topicAcls(principal, '', topics.map(deadLetterTopicName), ['write', 'create', 'describe']),
  ];
}

const PLACEHOLDER = /\$\{([A-Z_]+)\}/g;

/**
 * The two sink connectors of the committed template (validated orders, shipments), filled: topic names from the
 * contracts' catalogue under `topicPrefix`, and the converter schemas (`schema.content`) derived from the contracts'
 * event schemas, so the template names no field type itself. Throws on a placeholder it has no value for.
 */
export function warehouseSinkConnectors(params: WarehouseSinkParams, templateFile = warehouseSinkTemplatePath()): ConnectorDefinition[] {
  const template = JSON.parse(fs.readFileSync(templateFile, 'utf8')) as SinkTemplate;
  const [orderValidations, shipments] = warehouseSinkTopics(params.topicPrefix);
  const { database: db } = params;
  const values: Record<string, string> = {
    NAME_PREFIX: params.namePrefix,
    DATABASE_HOST: db.host,
    DATABASE_PORT: String(db.port),
    DATABASE_NAME: db.name,
    DATABASE_USER: db.user,
    DATABASE_PASSWORD: db.password,
    ORDER_VALIDATIONS_TOPIC: orderValidations.name,
    ORDER_VALIDATIONS_DLQ: deadLetterTopicName(orderValidations.name),
    ORDER_VALIDATIONS_SCHEMA: JSON.stringify(connectSchemaOfTopic(Topics.orderValidations)),
    SHIPMENTS_TOPIC: shipments.name,
    SHIPMENTS_DLQ: deadLetterTopicName(shipments.name),
    SHIPMENTS_SCHEMA: JSON.stringify(connectSchemaOfTopic(Topics.shipments)),
  };
  const fill = (text: string): string =>
    text.replace(PLACEHOLDER, (_, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`warehouse-sink.connector.json: no value for placeholder \${${name}}`);
      return value;
    });
  return template.connectors.map((connector) => ({
    name: fill(connector.name),
    config: Object.fromEntries(
      Object.entries({ ...template.common, ...connector.config }).map(([key, value]) => [key, fill(String(value))]),
    ),
  }));
}
