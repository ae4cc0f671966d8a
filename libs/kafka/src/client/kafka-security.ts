/**
 * How a client proves who it is to the brokers, read from the environment by every service and tool alike:
 *
 *   KAFKA_SASL_MECHANISM   plain | scram-sha-256 | scram-sha-512. Unset: no authentication (a broker that asks for
 *                          none, as the local infra's today).
 *   KAFKA_SASL_USERNAME    the principal (one per service: the brokers' ACLs say what each may read and write).
 *   KAFKA_SASL_PASSWORD    its secret. Both are required with a mechanism and refused without one.
 *   KAFKA_SSL              true: TLS to the brokers, verified against the system's CAs (managed clusters ask for
 *                          SASL over TLS); default false. PLAIN without TLS sends the password in clear: loopback only.
 */
export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

export interface KafkaSecurity {
  readonly sasl?: { readonly mechanism: SaslMechanism; readonly username: string; readonly password: string };
  readonly ssl: boolean;
}

export class KafkaSecurityConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid Kafka security configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'KafkaSecurityConfigError';
  }
}

const isMechanism = (value: string): value is SaslMechanism => (SASL_MECHANISMS as readonly string[]).includes(value);
const text = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value.trim());

/**
 * What is wrong with these variables taken together, one line per problem (empty: nothing). A password's value is
 * never part of a message.
 */
export function kafkaSecurityProblems(env: Readonly<Record<string, string | undefined>>): string[] {
  const mechanism = text(env['KAFKA_SASL_MECHANISM']);
  const username = text(env['KAFKA_SASL_USERNAME']);
  const password = text(env['KAFKA_SASL_PASSWORD']);
  const ssl = text(env['KAFKA_SSL']);
  const problems: string[] = [];
  if (mechanism !== undefined && !isMechanism(mechanism.toLowerCase()))
    problems.push(`KAFKA_SASL_MECHANISM must be one of ${SASL_MECHANISMS.join(', ')} (got "${mechanism}")`);
  if (mechanism !== undefined) {
    if (username === undefined) problems.push(`KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM=${mechanism}`);
    if (password === undefined) problems.push(`KAFKA_SASL_PASSWORD is required with KAFKA_SASL_MECHANISM=${mechanism}`);
  } else {
    // Credentials without a mechanism would be dropped silently and the client would connect as nobody.
    if (username !== undefined) problems.push(`KAFKA_SASL_USERNAME is set but KAFKA_SASL_MECHANISM is not (${SASL_MECHANISMS.join(', ')})`);
    if (password !== undefined) problems.push(`KAFKA_SASL_PASSWORD is set but KAFKA_SASL_MECHANISM is not (${SASL_MECHANISMS.join(', ')})`);
  }
  if (ssl !== undefined && !['true', 'false'].includes(ssl.toLowerCase())) problems.push(`KAFKA_SSL must be true or false (got "${ssl}")`);
  return problems;
}

/** Reads KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD and KAFKA_SSL; throws KafkaSecurityConfigError. */
export function kafkaSecurityFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): KafkaSecurity {
  const problems = kafkaSecurityProblems(env);
  if (problems.length > 0) throw new KafkaSecurityConfigError(problems);
  const mechanism = text(env['KAFKA_SASL_MECHANISM'])?.toLowerCase();
  const ssl = text(env['KAFKA_SSL'])?.toLowerCase() === 'true';
  if (mechanism === undefined || !isMechanism(mechanism)) return { ssl };
  return { ssl, sasl: { mechanism, username: text(env['KAFKA_SASL_USERNAME']) ?? '', password: text(env['KAFKA_SASL_PASSWORD']) ?? '' } };
}
