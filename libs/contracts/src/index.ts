export * from './envelope/envelope';
export * from './events/common';
export * from './events/user-record';
export * from './events/order-events';
export * from './topics/topic-catalogue';
export * from './topics/codec';
export * from './asyncapi/asyncapi';
export * from './json-schema/json-schema';
