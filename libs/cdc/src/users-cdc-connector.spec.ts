import { databaseFromUrl, usersCdcConnector } from './users-cdc-connector';

describe('usersCdcConnector', () => {
  const params = {
    connectorName: 'users-cdc',
    database: databaseFromUrl('postgresql://postgres:p%40ss@127.0.0.1:55432/legacy_monolith'),
    targetTopic: 'users',
    serverName: 'legacy',
    slotName: 'users_cdc',
    publicationName: 'users_cdc',
  };

  it('fills every placeholder of the committed template', () => {
    const connector = usersCdcConnector(params);
    expect(connector.name).toBe('users-cdc');
    expect(JSON.stringify(connector)).not.toContain('${');
    expect(connector.config).toMatchObject({
      'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
      'database.hostname': '127.0.0.1',
      'database.port': '55432',
      'database.dbname': 'legacy_monolith',
      'database.user': 'postgres',
      'database.password': 'p@ss',
      'plugin.name': 'pgoutput',
      'slot.name': 'users_cdc',
      'publication.name': 'users_cdc',
      'publication.autocreate.mode': 'filtered',
      'table.include.list': 'public.users',
      'snapshot.mode': 'initial',
      'transforms.unwrap.delete.tombstone.handling.mode': 'drop',
      'transforms.unwrap.predicate': 'isTombstone',
      'transforms.unwrap.negate': 'true',
      'transforms.route.replacement': 'users',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter.schemas.enable': 'false',
    });
  });

  it('rejects a slot name PostgreSQL would refuse', () => {
    expect(() => usersCdcConnector({ ...params, slotName: 'Users-CDC' })).toThrow(/slot name/);
  });
});
