export * from './customer-directory';
export * from './customer-directory.module';
