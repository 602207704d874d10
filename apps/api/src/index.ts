export type { Env } from './env.ts';
export type { AppRouter, RouterInputs, RouterOutputs } from './routers/root.ts';
export { buildServer } from './server.ts';
