export * from './api-schema';
export * from './api-shapes';
export * from './api-document';
export * from './api-docs-file';
