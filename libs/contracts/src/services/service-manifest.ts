import { z } from 'zod';
import { allTopics } from '../topics/topic-catalogue';
import manifestJson from './services.json';

/**
 * The services manifest (services.json beside this file): every service's name, default port, database and
 * the topics it consumes and produces. Plain JSON, so that the local infra and the demo runner (plain Node
 * ESM) read the same file; here it is validated once, when the module loads, so that a typo stops every
 * reader with a message that names the field.
 */

const topicNames = allTopics.map((t) => t.name);
const topicName = z.string().refine((name) => topicNames.includes(name), {
  error: (issue) => `"${String(issue.input)}" is not a topic of the catalogue (${topicNames.join(', ')})`,
});
const topicList = z.array(topicName).refine((names) => new Set(names).size === names.length, 'lists a topic twice');

export const serviceEntrySchema = z
  .strictObject({
    /** The app's folder under apps/, also its log and metrics name. */
    name: z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'must be kebab-case, the folder name under apps/'),
    /** Default HTTP port (PORT overrides it). */
    port: z.number().int().min(1024).max(65535),
    /** Its own PostgreSQL database; a plain identifier, since init scripts interpolate it into SQL. */
    database: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier such as order_validation'),
    /** false: no Kafka client (no KAFKA_BROKERS); what it produces is published by CDC from its database. */
    kafka: z.boolean(),
    consumes: topicList,
    produces: topicList,
    /** npm start runs it by default, or only with DEMO_<NAME>=1. */
    demo: z.enum(['default', 'opt-in']),
    /** Started by every system test run (the others only when a test asks for them). */
    systemTests: z.boolean(),
  })
  .refine((s) => s.kafka || s.consumes.length === 0, {
    error: 'consumes topics but has no Kafka client (kafka: false)',
    path: ['consumes'],
  });
export type ServiceEntry = z.infer<typeof serviceEntrySchema>;

function unique(services: readonly ServiceEntry[], field: 'name' | 'port' | 'database', ctx: z.RefinementCtx): void {
  const seen = new Map<unknown, string>();
  for (const [index, service] of services.entries()) {
    const other = seen.get(service[field]);
    if (other !== undefined)
      ctx.addIssue({ code: 'custom', path: ['services', index, field], message: `${field} ${String(service[field])} is also ${other}'s` });
    else seen.set(service[field], service.name);
  }
}

export const serviceManifestSchema = z
  .strictObject({ $comment: z.string().optional(), services: z.array(serviceEntrySchema).min(1) })
  .superRefine((manifest, ctx) => {
    for (const field of ['name', 'port', 'database'] as const) unique(manifest.services, field, ctx);
  });

/** Parses a manifest; throws one Error that lists every problem with its path (services.2.port: …). */
export function parseServiceManifest(raw: unknown, source = 'libs/contracts/src/services/services.json'): readonly ServiceEntry[] {
  const parsed = serviceManifestSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${source} is not a valid services manifest:\n${z.prettifyError(parsed.error)}`);
  return parsed.data.services;
}

/** Every service, in the order of the manifest (the order events flow, the legacy monolith first). */
export const serviceManifest: readonly ServiceEntry[] = parseServiceManifest(manifestJson);

/** The manifest entry of `name`; throws for a name the manifest does not have. */
export function serviceNamed(name: string): ServiceEntry {
  const service = serviceManifest.find((s) => s.name === name);
  if (!service) throw new Error(`"${name}" is not a service of the manifest (${serviceManifest.map((s) => s.name).join(', ')})`);
  return service;
}

/** The service that produces `topicName` (each topic has exactly one: checked by the manifest's test). */
export function producerOf(topicName: string): ServiceEntry | undefined {
  return serviceManifest.find((s) => s.produces.includes(topicName));
}
