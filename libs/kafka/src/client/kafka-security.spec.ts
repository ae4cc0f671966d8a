import { KafkaSecurityConfigError, kafkaSecurityFromEnv, kafkaSecurityProblems } from './kafka-security';

describe('kafkaSecurityFromEnv', () => {
  it('is no authentication and no TLS when nothing is set (the local infra today)', () => {
    expect(kafkaSecurityFromEnv({})).toEqual({ ssl: false });
    expect(kafkaSecurityFromEnv({ KAFKA_SASL_MECHANISM: ' ', KAFKA_SSL: '' })).toEqual({ ssl: false });
  });

  it('reads a principal with its mechanism, and TLS', () => {
    expect(
      kafkaSecurityFromEnv({
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
        KAFKA_SASL_USERNAME: 'shipping',
        KAFKA_SASL_PASSWORD: 's3cret',
        KAFKA_SSL: 'true',
      }),
    ).toEqual({ ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'shipping', password: 's3cret' } });
  });

  it('refuses a mechanism without credentials, credentials without a mechanism, and unknown values, all at once', () => {
    expect(kafkaSecurityProblems({ KAFKA_SASL_MECHANISM: 'plain' })).toEqual([
      'KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM=plain',
      'KAFKA_SASL_PASSWORD is required with KAFKA_SASL_MECHANISM=plain',
    ]);
    expect(kafkaSecurityProblems({ KAFKA_SASL_USERNAME: 'shipping', KAFKA_SASL_PASSWORD: 'pw' })).toHaveLength(2);
    expect(() =>
      kafkaSecurityFromEnv({ KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p', KAFKA_SSL: 'yes' }),
    ).toThrow(KafkaSecurityConfigError);
    expect(
      kafkaSecurityProblems({ KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p', KAFKA_SSL: 'yes' }),
    ).toEqual([
      'KAFKA_SASL_MECHANISM must be one of plain, scram-sha-256, scram-sha-512 (got "gssapi")',
      'KAFKA_SSL must be true or false (got "yes")',
    ]);
  });

  it('never puts a password in a message', () => {
    const problems = kafkaSecurityProblems({ KAFKA_SASL_PASSWORD: 'do-not-print-me' });
    expect(problems.join('\n')).not.toContain('do-not-print-me');
  });
});
