import * as fs from 'node:fs';
import * as path from 'node:path';

const TEMPLATE_IN_REPO = path.join('infra', 'connect', 'users-cdc.connector.json');

/**
 * Where the committed template is: $USERS_CDC_CONNECTOR_TEMPLATE, else `infra/connect/…` in the first
 * directory above this file (or above the working directory) that has it.
 */
export function usersCdcTemplatePath(): string {
  const fromEnv = process.env['USERS_CDC_CONNECTOR_TEMPLATE'];
  if (fromEnv) return path.resolve(fromEnv);
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, TEMPLATE_IN_REPO);
      if (fs.existsSync(candidate)) return candidate;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error(`${TEMPLATE_IN_REPO} not found above ${__dirname} or ${process.cwd()}; set USERS_CDC_CONNECTOR_TEMPLATE`);
}

interface ConnectorTemplate {
  name: string;
  config: Record<string, unknown>;
}

/** A Kafka Connect connector as its REST API takes it: a unique name and string-valued config. */
export interface ConnectorDefinition {
  readonly name: string;
  readonly config: Readonly<Record<string, string>>;
}

/** Values for the placeholders of infra/connect/users-cdc.connector.json. */
export interface UsersCdcParams {
  /** Connector name, unique in the Connect cluster. */
  readonly connectorName: string;
  readonly database: {
    readonly host: string;
    readonly port: number;
    readonly name: string;
    readonly user: string;
    readonly password: string;
  };
  /** Topic the rows land on, e.g. `users` or `<prefix>users`; it must exist (compacted) before the connector starts. */
  readonly targetTopic: string;
  /**
   * Debezium's logical server name (`topic.prefix`): namespaces the connector's source offsets and metrics.
   * Records never go to `<serverName>.public.users`: the route transform sends them to `targetTopic`.
   */
  readonly serverName: string;
  /** Logical replication slot (one per connector and database; [a-z0-9_], at most 63 characters). */
  readonly slotName: string;
  /** Publication the connector creates for `public.users` only, if it does not exist. */
  readonly publicationName: string;
}

const PLACEHOLDER = /\$\{([A-Z_]+)\}/g;

/** Fills the committed template (infra/connect/users-cdc.connector.json); throws on a placeholder it has no value for. */
export function usersCdcConnector(params: UsersCdcParams, templateFile = usersCdcTemplatePath()): ConnectorDefinition {
  const template = JSON.parse(fs.readFileSync(templateFile, 'utf8')) as ConnectorTemplate;
  const { database: db } = params;
  const values: Record<string, string> = {
    CONNECTOR_NAME: params.connectorName,
    DATABASE_HOST: db.host,
    DATABASE_PORT: String(db.port),
    DATABASE_NAME: db.name,
    DATABASE_USER: db.user,
    DATABASE_PASSWORD: db.password,
    SERVER_NAME: params.serverName,
    SLOT_NAME: params.slotName,
    PUBLICATION_NAME: params.publicationName,
    TARGET_TOPIC: params.targetTopic,
  };
  if (!/^[a-z0-9_]{1,63}$/.test(params.slotName)) {
    throw new Error(`slot name "${params.slotName}" must match [a-z0-9_]{1,63} (PostgreSQL replication slot rules)`);
  }
  const fill = (text: string): string =>
    text.replace(PLACEHOLDER, (_, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`users-cdc.connector.json: no value for placeholder \${${name}}`);
      return value;
    });
  const config = Object.fromEntries(Object.entries(template.config).map(([key, value]) => [key, fill(String(value))]));
  return { name: fill(template.name), config };
}

/** Connection parts of a postgres URL, as the connector's `database.*` settings want them. */
export function databaseFromUrl(url: string): UsersCdcParams['database'] {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 5432,
    name: decodeURIComponent(u.pathname.replace(/^\//, '')),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
}
