/** What other tools (the system tests, scripts) may use from the load generator. */
export { runLoad, type LoadResult, type LoadSummary, type RunLoadOptions } from './runner/run-load';
export { buildScenario, orderJson, type Scenario, type OrderRequest, type BadRequest } from './domain/scenario';
export { computeOracle, ORACLE_FORMAT, type Oracle, type ExpectedAlert, type Verdict } from './domain/oracle';
export { loadConfig, type LoadGeneratorConfig } from './config/config';
export {
  runMonolithUserPhase,
  waitForUsersOnTopic,
  type MonolithUserPhaseOptions,
  type MonolithUserPhaseResult,
} from './runner/monolith-users';
export {
  defaultUserChanges,
  monolithUserBody,
  monolithUserPlan,
  shiftScenario,
  type MonolithUserBody,
  type UserChange,
} from './domain/monolith-users';
