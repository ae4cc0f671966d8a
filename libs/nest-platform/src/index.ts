export * from './config/env';
export * from './logging/json.logger';
export * from './platform/platform.tokens';
export { PlatformModule, kafkaLogLevel } from './platform/platform.module';
export { Materializers, NotAdmittedError } from './platform/materializers';
export { PlatformLifecycle } from './platform/platform.lifecycle';
export { withTimeout } from './platform/with-timeout';
export * from './health/health.report';
export { HealthController } from './health/health.controller';
export { AdminController, type RebuildAccepted } from './admin/admin.controller';
export { rebuildAdmission, replayAdmission, type Admission, type AdminActivity } from './admin/admission';
export * from './admin/dead-letters.api';
export * from './bootstrap/bootstrap';
export {
  MetricNames,
  createMetricsRegistry,
  registerViewMetrics,
  lastCommit,
  type ObservedView,
  type ViewMetricsOptions,
} from './metrics/view-metrics';
export { METRICS_REGISTRY, registerHttpMetrics, routeLabel } from './metrics/http-metrics.hook';
export { MetricsController } from './metrics/metrics.controller';
export { chunkLogFields, type KeyTrace } from './logging/chunk-log';
export { ViewHandler, type ViewHandlerOptions } from './transport/view-handler.decorator';
export { ViewChunk, ViewContext, type ProducedEvent } from './transport/view-chunk';
export { ViewTransport } from './transport/view.transport';
export * from './http/page-query';
export * from './http/api-error';
export * from './batching/group-commit';
export * from './http/json-body';
export * from './openapi';
export { runDlq, DlqExit, DlqFailure, LOCAL_BROKERS, type DlqIo } from './dead-letters-cli/dlq-cli';
export * from './dead-letters-cli/dlq-args';
export * from './dead-letters-cli/dlq-format';
