export * from './users-cdc-connector';
export * from './connect-client';
export * from './connect-schema';
export * from './warehouse-sink-connector';
