export { serviceGenerator } from './service/service.generator';
export * from './service/service-options';
