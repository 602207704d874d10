export * from './audit.ts';
export type { Executor } from './executor.ts';
export * from './expiry-notices.ts';
export * from './leaks.ts';
export * from './memberships.ts';
export * from './organizations.ts';
export * from './tokens.ts';
export * from './users.ts';
