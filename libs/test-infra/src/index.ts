export { testInfra, type TestInfra } from './infra';
export { createTestDatabase, type TestDatabase, type TestDatabaseOptions } from './database';
export { uniqueName } from './unique-name';
export { waitUntil, type WaitUntilOptions } from './wait-until';
export { freePort } from './free-port';
