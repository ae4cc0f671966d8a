import { API_DOCS_ENV, type ApiDocsSource } from '@shop/nest-platform';
import { AppModule, SERVICE_NAME } from './app.module';
import { loadConfig } from './config/config';

/** What docs/openapi/customer-profiles.json is built from, without Kafka or PostgreSQL (npm run docs:openapi). */
export const apiDocs: ApiDocsSource = { service: SERVICE_NAME, module: () => AppModule.forRoot(loadConfig(API_DOCS_ENV)) };
