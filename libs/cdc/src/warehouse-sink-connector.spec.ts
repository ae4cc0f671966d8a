import { Topics } from '@shop/contracts';
import { connectSchemaOfTopic } from './connect-schema';
import { databaseFromUrl } from './users-cdc-connector';
import { warehouseSinkAcls, warehouseSinkConnectors } from './warehouse-sink-connector';

describe('warehouseSinkConnectors', () => {
  const connectors = warehouseSinkConnectors({
    namePrefix: 'staging.',
    topicPrefix: 'staging.',
    database: databaseFromUrl('postgresql://wh:p%40ss@db.internal:5433/warehouse'),
  });

  it('fills every placeholder: topics from the catalogue under the prefix, the database from the URL', () => {
    expect(connectors.map((c) => c.name)).toEqual(['staging.warehouse-validated-orders', 'staging.warehouse-shipments']);
    expect(JSON.stringify(connectors)).not.toContain('${');
    const [orders, shipments] = connectors;
    expect(orders?.config).toMatchObject({
      'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
      topics: 'staging.order-validations',
      'connection.url': 'jdbc:postgresql://db.internal:5433/warehouse?stringtype=unspecified',
      'connection.username': 'wh',
      'connection.password': 'p@ss',
      'insert.mode': 'upsert',
      'primary.key.mode': 'record_value',
      'primary.key.fields': 'order_id',
      'collection.name.format': 'validated_orders',
      'transforms.onlyValidated.condition': "value.type == 'OrderValidated'",
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': 'staging.order-validations.dlq',
      'errors.deadletterqueue.context.headers.enable': 'true',
    });
    expect(shipments?.config).toMatchObject({
      topics: 'staging.shipments',
      'primary.key.fields': 'shipment_id',
      'errors.deadletterqueue.topic.name': 'staging.shipments.dlq',
    });
  });

  it("gives the converter the contracts' schema of the topic: every version's fields, optional unless all have them", () => {
    const schema = JSON.parse(connectors[0]?.config['value.converter.schema.content'] ?? '{}');
    expect(schema).toEqual(connectSchemaOfTopic(Topics.orderValidations));
    const payload = schema.fields.find((f: { field: string }) => f.field === 'payload');
    const field = (name: string) => payload.fields.find((f: { field: string }) => f.field === name);
    expect(field('orderId')).toEqual({ field: 'orderId', type: 'string', optional: false });
    expect(field('totalCents')).toEqual({ field: 'totalCents', type: 'int64', optional: true }); // not in OrderRejected
    expect(field('channel')).toEqual({ field: 'channel', type: 'string', optional: true }); // v2 only
    expect(field('rejectedAt')).toEqual({ field: 'rejectedAt', type: 'string', optional: true });
    expect(schema.fields.find((f: { field: string }) => f.field === 'version')).toEqual({
      field: 'version',
      type: 'int32',
      optional: false,
    });
  });
});

describe('warehouseSinkAcls', () => {
  it('lets Connect read the two topics the sink reads and write only their dead-letter topics', () => {
    const acls = warehouseSinkAcls('run1_');
    const allowed = acls.map((a) => `${a.principal} ${a.operation} ${a.resource}:${a.name}`).sort();
    expect(allowed).toEqual(
      [
        'User:connect read topic:run1_order-validations',
        'User:connect read topic:run1_shipments',
        ...['order-validations', 'shipments'].flatMap((t) =>
          ['write', 'create', 'describe'].map((op) => `User:connect ${op} topic:run1_${t}.dlq`),
        ),
      ].sort(),
    );
    expect(acls.every((a) => a.pattern === 'literal')).toBe(true);
    expect(warehouseSinkAcls('', 'etl').every((a) => a.principal === 'User:etl')).toBe(true);
  });
});
