/**
 * What the service generator writes, decided from its options, the topic catalogue and the services manifest:
 * pure (no Tree, no file system), so that every rule is unit-tested without a workspace.
 */

export interface ServiceGeneratorSchema {
  readonly name: string;
  /** Comma-separated topic names of the catalogue. */
  readonly consumes: string;
  readonly port?: number;
  readonly database?: string;
  readonly demo?: 'default' | 'opt-in';
  readonly skipFormat?: boolean;
  readonly skipTasks?: boolean;
}

/** A topic of libs/contracts/src/topics/topic-catalogue.ts: its key in `Topics` and its name on the broker. */
export interface CatalogueTopic {
  readonly key: string;
  readonly name: string;
  readonly kind: 'changelog' | 'events';
}

/** An entry of libs/contracts/src/services/services.json (validated by libs/contracts when it loads). */
export interface ManifestEntry {
  readonly name: string;
  readonly port: number;
  readonly database: string;
  readonly kafka: boolean;
  readonly consumes: readonly string[];
  readonly produces: readonly string[];
  readonly demo: 'default' | 'opt-in';
  readonly systemTests: boolean;
}

/** One consumed event topic: a feature folder with a @ViewHandler writing a seen table. */
export interface StreamSpec {
  readonly topic: string;
  /** `Topics.<topicKey>` of @shop/contracts. */
  readonly topicKey: string;
  /** Folder under src/ and file base name (the topic name, kebab-case already). */
  readonly folder: string;
  /** PascalCase of the topic: class names. */
  readonly className: string;
  /** camelCase of the topic: variables. */
  readonly propertyName: string;
  /** UPPER_SNAKE of the topic: constants. */
  readonly constantName: string;
  /** The view's name (positions, consumer group): the topic's name. */
  readonly view: string;
  readonly table: string;
  /** Prisma model of the seen table. */
  readonly model: string;
}

export interface ServiceSpec {
  readonly name: string;
  readonly className: string;
  readonly port: number;
  readonly database: string;
  readonly demo: 'default' | 'opt-in';
  /** Topic names in the order given. */
  readonly consumes: readonly string[];
  /** `users` consumed: a users table view, joined by every handler. */
  readonly usersView: boolean;
  readonly streams: readonly StreamSpec[];
}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Ports of the core services start here; sample-view sits apart at 3100. */
const FIRST_PORT = 3000;

const words = (kebab: string): string[] => kebab.split(/[-_.]/).filter(Boolean);
const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

export const pascalCase = (kebab: string): string => words(kebab).map(capitalize).join('');
export const camelCase = (kebab: string): string => {
  const pascal = pascalCase(kebab);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
};
export const snakeCase = (kebab: string): string => words(kebab).join('_');

/**
 * The topics of the catalogue's source text. Read from the source (not imported) because the generator runs
 * before anything is compiled and must see the catalogue of the workspace it writes into.
 */
export function catalogueTopicsOf(source: string): CatalogueTopic[] {
  const found: CatalogueTopic[] = [];
  const pattern = /^\s{2}(\w+): topic\(\{\s*name: '([^']+)',[\s\S]*?kind: '(changelog|events)'/gm;
  for (const match of source.matchAll(pattern)) {
    const [, key = '', name = '', kind = 'events'] = match;
    found.push({ key, name, kind: kind === 'changelog' ? 'changelog' : 'events' });
  }
  return found;
}

/** The smallest port from 3000 on that no service of the manifest has. */
export function nextFreePort(manifest: readonly ManifestEntry[]): number {
  const used = new Set(manifest.map((s) => s.port));
  let port = FIRST_PORT;
  while (used.has(port)) port += 1;
  return port;
}

function streamSpec(topic: CatalogueTopic): StreamSpec {
  return {
    topic: topic.name,
    topicKey: topic.key,
    folder: topic.name,
    className: pascalCase(topic.name),
    propertyName: camelCase(topic.name),
    constantName: snakeCase(topic.name).toUpperCase(),
    view: topic.name,
    table: `${snakeCase(topic.name)}_seen`,
    model: `${pascalCase(topic.name)}Seen`,
  };
}

/** The generator's options checked against the catalogue and the manifest; throws one Error listing every problem. */
export function normalizeOptions(
  options: ServiceGeneratorSchema,
  catalogue: readonly CatalogueTopic[],
  manifest: readonly ManifestEntry[],
): ServiceSpec {
  const problems: string[] = [];
  const name = options.name.trim();
  if (!KEBAB.test(name)) problems.push(`name "${name}" must be kebab-case (the folder under apps/)`);
  if (manifest.some((s) => s.name === name)) problems.push(`"${name}" is already a service of the manifest`);

  const consumes = options.consumes
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (consumes.length === 0) problems.push('--consumes names no topic (e.g. --consumes users,order-validations)');
  const byName = new Map(catalogue.map((t) => [t.name, t]));
  for (const topic of consumes) {
    if (!byName.has(topic)) problems.push(`"${topic}" is not a topic of the catalogue (${catalogue.map((t) => t.name).join(', ')})`);
  }
  if (new Set(consumes).size !== consumes.length) problems.push('--consumes lists a topic twice');

  const changelogs = consumes.map((t) => byName.get(t)).filter((t) => t?.kind === 'changelog' && t.name !== 'users');
  // usersTableView knows the users record only; another changelog would need its own table view.
  for (const t of changelogs) problems.push(`"${t?.name}" is a changelog other than users: write its table view by hand`);

  const port = options.port ?? nextFreePort(manifest);
  const portOwner = manifest.find((s) => s.port === port);
  if (portOwner) problems.push(`port ${port} is ${portOwner.name}'s`);
  const database = options.database ?? snakeCase(name);
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(database)) problems.push(`database "${database}" must be a lower-case SQL identifier`);
  const databaseOwner = manifest.find((s) => s.database === database);
  if (databaseOwner) problems.push(`database ${database} is ${databaseOwner.name}'s`);

  if (problems.length > 0) throw new Error(`@shop/tools:service ${name}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);

  return {
    name,
    className: pascalCase(name),
    port,
    database,
    demo: options.demo ?? 'opt-in',
    consumes,
    usersView: consumes.includes('users'),
    streams: consumes
      .map((t) => byName.get(t))
      .filter((t): t is CatalogueTopic => t !== undefined && t.name !== 'users')
      .map(streamSpec),
  };
}

/** The service's entry of the manifest: it consumes, produces nothing yet, and no system test starts it. */
export function manifestEntryOf(spec: ServiceSpec): ManifestEntry {
  return {
    name: spec.name,
    port: spec.port,
    database: spec.database,
    kafka: true,
    consumes: [...spec.consumes],
    produces: [],
    demo: spec.demo,
    systemTests: false,
  };
}

/** The compose service block, as the other services have theirs (tools/deploy-check compares it with the manifest). */
export function composeBlockOf(spec: ServiceSpec): string {
  const health = `fetch('http://localhost:${spec.port}/health/ready').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))`;
  return [
    `  ${spec.name}:`,
    '    <<: *service',
    `    command: ["node", "dist/apps/${spec.name}/src/main.js"]`,
    '    ports:',
    `      - "127.0.0.1:${spec.port}:${spec.port}"`,
    '    environment:',
    '      KAFKA_BROKERS: kafka:9092',
    // Its own Kafka principal (in the brokers' JAAS file and .env.example: npm run docker:databases; ACLs: kafka-init).
    '      KAFKA_SASL_MECHANISM: plain',
    `      KAFKA_SASL_USERNAME: ${spec.name}`,
    `      KAFKA_SASL_PASSWORD: \${KAFKA_${spec.name.toUpperCase().replace(/-/g, '_')}_PASSWORD:?see .env.example}`,
    // Its own role (created with its database by docker/postgres/init; password from .env, see .env.example).
    `      DATABASE_URL: postgresql://${spec.database}:\${${spec.database.toUpperCase()}_DB_PASSWORD:?see .env.example}@postgres:5432/${spec.database}`,
    `      PORT: "${spec.port}"`,
    '      TOPIC_PREFIX: ""',
    '      LOG_LEVEL: log',
    '      ADMIN_TOKEN: ${ADMIN_TOKEN:?see .env.example}',
    '    healthcheck:',
    '      <<: *healthcheck',
    `      test: ["CMD", "node", "-e", "${health}"]`,
    '',
  ].join('\n');
}

/**
 * docker-compose.yml with the service's block after the last service of the manifest that has one (PostgreSQL's
 * healthcheck stays on the warehouse, which the init script always creates last).
 */
export function composeWith(compose: string, spec: ServiceSpec, manifest: readonly ManifestEntry[]): string {
  const lines = compose.split('\n');
  const blockStart = (service: string) => lines.findIndex((l) => l === `  ${service}:`);
  const previous = [...manifest].reverse().find((s) => blockStart(s.name) >= 0);
  if (!previous) throw new Error('docker-compose.yml has no block of any service of the manifest');
  let end = blockStart(previous.name) + 1;
  // The block ends at the blank line before the next service (or its comment).
  while (end < lines.length && lines[end] !== '') end += 1;
  lines.splice(end + 1, 0, ...composeBlockOf(spec).split('\n'));
  return lines.join('\n');
}

/**
 * docker-compose.cluster.yml with the service on the three brokers (tools/deploy-check's compose-cluster.spec
 * checks that every Kafka client of docker-compose.yml has its override): a block before the load generator's.
 */
export function composeClusterWith(compose: string, spec: ServiceSpec): string {
  const lines = compose.split('\n');
  const at = lines.indexOf('  load-generator:');
  if (at < 0) throw new Error('docker-compose.cluster.yml has no load-generator block to put the service before');
  lines.splice(at, 0, `  ${spec.name}:`, '    environment: *cluster-clients', '    depends_on: *cluster-depends', '');
  return lines.join('\n');
}

/** README's Services table with the service's row last (its order is the manifest's, tools/deploy-check reads it). */
export function readmeWith(readme: string, spec: ServiceSpec): string {
  const start = readme.indexOf('## Services');
  if (start < 0) throw new Error('README.md has no "## Services" section');
  const lines = readme.split('\n');
  const first = readme.slice(0, start).split('\n').length - 1;
  let last = -1;
  for (let i = first; i < lines.length && !(i > first && lines[i]?.startsWith('## ')); i += 1) {
    if (/^\| `[a-z-]+` \| \d+ \|/.test(lines[i] ?? '')) last = i;
  }
  if (last < 0) throw new Error('README.md has no Services table');
  const reads = spec.consumes.map((t) => `\`${t}\``).join(', ');
  const keeps = [...(spec.usersView ? ['users view'] : []), ...spec.streams.map((s) => `${s.topic} seen`)].join(', ');
  const serves = spec.streams.map((s) => `\`GET /${s.folder}/seen\``).join(', ') || '—';
  lines.splice(last + 1, 0, `| \`${spec.name}\` | ${spec.port} | ${reads} | ${keeps} | ${serves} |`);
  return lines.join('\n');
}
