export {
  createTestDatabase,
  freePort,
  testInfra,
  uniqueName,
  waitUntil,
  type TestDatabase,
  type TestInfra,
  type WaitUntilOptions,
} from '@shop/test-infra';
export { startServiceUnderTest, type ServiceUnderTest, type ServiceUnderTestOptions, type TestKafka } from './service-under-test';
export { apiAnswerCheck, type ApiDocument } from './api-answers';
