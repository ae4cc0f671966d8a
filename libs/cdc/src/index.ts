export * from './users-cdc-connector';
export * from './connect-client';
