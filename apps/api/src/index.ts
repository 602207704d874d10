export type { Env } from './env.ts';
export { buildServer } from './server.ts';
