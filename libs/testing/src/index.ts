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
export {
  describeBody,
  errorBodyProblems,
  fuzzSeed,
  fuzzedBodies,
  inParallel,
  injector,
  oddString,
  pathsOf,
  platformAnswer,
  withAt,
  type BodyFuzzOptions,
  type FuzzBody,
  type InjectedAnswer,
} from './body-fuzz';
export { tableFingerprints, topicHighWatermarks, written, type Written } from './written';
