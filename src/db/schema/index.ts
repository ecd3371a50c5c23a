export * from './reference';
export * from './contracts';
export * from './infra';
export * from './lifecycle';
export * from './pricing';
export * from './webhooks';
export * from './usage';
export * from './compat';
