/** What other tools (the system tests, scripts) may use from the load generator. */
export { runLoad, type LoadResult, type LoadSummary, type RunLoadOptions } from './runner/run-load';
export { buildScenario, orderJson, type Scenario, type OrderRequest, type BadRequest } from './domain/scenario';
export { computeOracle, ORACLE_FORMAT, type Oracle, type ExpectedAlert, type Verdict } from './domain/oracle';
export { loadConfig, type LoadGeneratorConfig } from './config/config';
