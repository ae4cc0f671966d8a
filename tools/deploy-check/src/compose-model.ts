/**
 * docker-compose.yml as Docker Compose and the images it runs would read it, for checks that cannot start a container
 * here (no Docker engine): the file interpolated from .env.example, and the broker configuration the apache/kafka
 * image renders from a service's environment.
 */
import { read } from './workspace';

export type Env = Record<string, string>;

/** A compose service's `environment`, in either of its two forms (a map, or NAME=value lines), as a map of strings. */
export function envOf(service: { readonly environment?: unknown } | undefined): Env {
  const environment = service?.environment;
  if (Array.isArray(environment))
    return Object.fromEntries(environment.map((line) => [String(line).split('=')[0], String(line).split('=').slice(1).join('=')]));
  if (typeof environment !== 'object' || environment === null) return {};
  return Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, String(v ?? '')]));
}

/** `${NAME}`, `${NAME:?message}`, `${NAME:-default}`: a compose interpolation. */
const INTERPOLATION = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[?-][^}]*)?\}/g;

/** .env.example: the variables compose reads from .env, with their example values. */
export const envExample: Env = Object.fromEntries(
  read('.env.example')
    .split('\n')
    .filter((line) => /^[A-Z0-9_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);

/** The names of the variables a compose text interpolates. */
export const interpolatedNames = (raw: string): string[] => [...raw.matchAll(INTERPOLATION)].map((m) => m[1] as string);

/** A compose text as compose sees it with .env copied from .env.example (an unknown variable throws). */
export function interpolate(raw: string, file = 'docker-compose.yml'): string {
  return raw.replace(INTERPOLATION, (_, name: string) => {
    const value = envExample[name];
    if (value === undefined) throw new Error(`${file} uses \${${name}}, which .env.example does not define`);
    return value;
  });
}

/** The variables of the apache/kafka image that are no broker property (its kafka-propertiesSpec.json `excludes`). */
const IMAGE_EXCLUDES = [
  'KAFKA_VERSION',
  'KAFKA_HEAP_OPT',
  'KAFKA_LOG4J_OPTS',
  'KAFKA_OPTS',
  'KAFKA_JMX_OPTS',
  'KAFKA_JVM_PERFORMANCE_OPTS',
  'KAFKA_GC_LOG_OPTS',
  'KAFKA_LOG4J_ROOT_LOGLEVEL',
  'KAFKA_LOG4J_LOGGERS',
  'KAFKA_TOOLS_LOG4J_LOGLEVEL',
];

/**
 * The apache/kafka image's server.properties from a container's environment (docker/resources/utility of the Kafka
 * repository, `render-properties`): each KAFKA_* variable but the excluded ones, named by its rule (a single "_" is a
 * ".", "__" a "_", "___" a "-", lower case). `dropped`: the KAFKA_* variables it skips because their value holds "=",
 * which its environment parser cannot read (it splits `NAME=value` on every "=" and keeps two-part lines only).
 */
export function kafkaImageProperties(env: Env): { properties: Env; dropped: string[] } {
  const properties: Env = {};
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('KAFKA_') || IMAGE_EXCLUDES.includes(name)) continue;
    if (value.includes('=')) {
      dropped.push(name);
      continue;
    }
    const key = name
      .slice('KAFKA_'.length)
      .replace(/[^_]_[^_]/g, (m) => m.replace('_', '.'))
      .replace(/___/g, '-')
      .replace(/__/g, '_')
      .toLowerCase();
    properties[key] = value;
  }
  return { properties, dropped };
}
