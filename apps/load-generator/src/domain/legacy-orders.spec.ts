import { decodeRecord, orderPlacedV1EventSchema, Topics } from '@shop/contracts';
import { orderPlacedV1, pickV1Orders } from './legacy-orders';
import { buildScenario } from './scenario';

describe('OrderPlaced v1 history', () => {
  const scenario = buildScenario({ seed: 7, users: 300, orders: 3000 });

  it('picks orders without a channel, never the two the idempotency checks send again', () => {
    const picked = pickV1Orders(scenario.orders, 300);
    expect(picked).toHaveLength(300);
    expect(picked.every((o) => o.body.channel === undefined)).toBe(true);
    expect(picked.map((o) => o.index)).not.toContain(scenario.orders[0]?.index);
    expect(picked.map((o) => o.index)).not.toContain(scenario.orders[1]?.index);
    expect(pickV1Orders(scenario.orders, 0)).toEqual([]);
  });

  it('writes the v1 envelope order-validation produced, which the orders topic reads as v2 without a channel', () => {
    const [order] = pickV1Orders(scenario.orders, 1);
    if (!order) throw new Error('no order without a channel');
    const v1 = orderPlacedV1(order);
    expect(orderPlacedV1EventSchema.parse(v1)).toEqual(v1);
    expect(v1).toMatchObject({ id: `${order.body.orderId}:placed`, type: 'OrderPlaced', version: 1, source: 'order-validation' });
    expect(v1.payload).not.toHaveProperty('channel');
    const read = decodeRecord(Topics.orders, order.body.orderId, JSON.stringify(v1));
    expect(read).toMatchObject({
      kind: 'value',
      value: { version: 2, payload: { orderId: order.body.orderId, shippingAddress: order.body.shippingAddress } },
    });
  });
});
