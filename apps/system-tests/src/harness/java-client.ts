import { writeFileSync } from 'node:fs';
import { kafkaSecurityFromEnv } from '@shop/kafka';

/**
 * The Java client's properties for the credentials of the tests' own clients (kafkaSecurityFromEnv: the admin
 * principal on the local infra), as `key=value` lines.
 */
function javaClientProperties(): string[] {
  const { sasl, ssl } = kafkaSecurityFromEnv();
  if (!sasl) return ssl ? ['security.protocol=SSL'] : [];
  const loginModule = sasl.mechanism === 'plain' ? 'plain.PlainLoginModule' : 'scram.ScramLoginModule';
  return [
    `security.protocol=${ssl ? 'SASL_SSL' : 'SASL_PLAINTEXT'}`,
    `sasl.mechanism=${sasl.mechanism.toUpperCase()}`,
    `sasl.jaas.config=org.apache.kafka.common.security.${loginModule} required username="${sasl.username}" password="${sasl.password}";`,
  ];
}

/** Those properties written to `file` (mode 600: it holds a password), for a Kafka tool's --command-config or --producer.config. */
export function javaClientConfigFile(file: string): string {
  writeFileSync(file, `${javaClientProperties().join('\n')}\n`, { mode: 0o600 });
  return file;
}
