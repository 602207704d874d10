import { isTollgateError, TollgateError } from '@tollgate/domain';
import { TRPCError } from '@trpc/server';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { type Context, createContextInner } from '../trpc/context.ts';
import { toTollgateError } from '../trpc/errors.ts';
import { baseProcedure, createCallerFactory, middleware, router } from '../trpc/init.ts';
import { toRestError } from './errors.ts';
import { type ProcedureRuntime, procedureInvoker } from './invoke.ts';

/**
 * A router shaped like the app's procedures — a middleware adding to the context, input and output parsers,
 * a resolver that reads both — so that the invoker can be held to what a tRPC caller does with each.
 */
const withActor = middleware(async ({ ctx, next }) => next({ ctx: { actor: `actor@${ctx.request.ip}` } }));
const withRole = middleware(async ({ next }) => next({ ctx: { role: 'admin' as const } }));
const authed = baseProcedure.use(withActor).use(withRole);

/** One instance, so that a test can ask whether what comes out is the very error the procedure threw. */
const REFUSAL = new TollgateError('INSUFFICIENT_CREDITS', 'Top up first.');

const testRouter = router({
  echo: authed
    .input(z.object({ name: z.string().min(1), times: z.number().int().default(1) }))
    .output(z.object({ greeting: z.string(), actor: z.string(), role: z.string() }))
    .query(({ ctx, input }) => ({
      greeting: `hello ${input.name}`.repeat(input.times),
      actor: ctx.actor,
      role: ctx.role,
      // Not in the output schema: stripped by the output parser on both paths.
      secret: 'never returned',
    })),
  refuse: authed.mutation(() => {
    throw new TollgateError('INSUFFICIENT_CREDITS');
  }),
  crash: authed.query(() => {
    throw new Error('database password is hunter2');
  }),
  badOutput: authed.output(z.object({ n: z.number() })).query(() => ({ n: 'not a number' }) as never),
  noInput: authed.query(({ ctx }) => ({ actor: ctx.actor })),
  refuseOnce: authed.mutation(() => {
    throw REFUSAL;
  }),
  databaseDown: authed.query(() => {
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  }),
});

const createCaller = createCallerFactory(testRouter);
const procedures = testRouter._def.procedures as unknown as Record<string, ProcedureRuntime>;
// Only the logger is reached: the error mapping logs internal failures.
const services = { log: pino({ level: 'silent' }) } as unknown as Context['services'];
const context = (): Context => createContextInner({ services, request: { ip: '192.0.2.1' } });

type Outcome = { ok: true; data: unknown } | { ok: false; code: string; message: string; trpcCode: string };

async function outcomeOf(promise: Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, data: await promise };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const tollgate = toTollgateError(error);
    return { ok: false, code: tollgate.code, message: tollgate.message, trpcCode: error.code };
  }
}

describe('procedureInvoker', () => {
  it.each([
    ['echo', { name: 'ada', times: 2 }],
    ['echo', { name: 'ada' }],
    ['echo', { name: '' }],
    ['echo', { times: 'x' }],
    ['echo', undefined],
    ['refuse', undefined],
    ['crash', undefined],
    ['badOutput', undefined],
    ['noInput', undefined],
    ['noInput', { ignored: true }],
  ] as const)('%s(%j) gives what a tRPC caller gives', async (path, input) => {
    const caller = createCaller(context()) as unknown as Record<string, (input: unknown) => Promise<unknown>>;
    const viaCaller = await outcomeOf((caller[path] as (input: unknown) => Promise<unknown>)(input));
    const viaInvoker = await outcomeOf(
      procedureInvoker(path, procedures[path] as ProcedureRuntime)(context(), input),
    );
    expect(viaInvoker).toEqual(viaCaller);
  });

  it('merges the context each middleware adds and strips what the output schema does not list', async () => {
    const output = await procedureInvoker('echo', procedures.echo as ProcedureRuntime)(context(), {
      name: 'ada',
    });
    expect(output).toEqual({ greeting: 'hello ada', actor: 'actor@192.0.2.1', role: 'admin' });
  });

  it('turns a thrown internal error into INTERNAL without its message', async () => {
    const outcome = await outcomeOf(
      procedureInvoker('crash', procedures.crash as ProcedureRuntime)(context(), undefined),
    );
    expect(outcome).toMatchObject({ ok: false, code: 'INTERNAL', trpcCode: 'INTERNAL_SERVER_ERROR' });
    expect(JSON.stringify(outcome)).not.toContain('hunter2');
  });
});

describe('procedureInvoker through the REST facade: no TollgateError → TRPCError → TollgateError round trip', () => {
  const restContext = (): Context =>
    createContextInner({ services, request: { ip: '192.0.2.1', surface: 'rest' } });
  const invoke = (path: string, input: unknown = undefined) =>
    procedureInvoker(path, procedures[path] as ProcedureRuntime)(restContext(), input).then(
      () => {
        throw new Error(`${path} was expected to fail`);
      },
      (error: unknown) => error,
    );

  it('rejects with the very TollgateError the resolver threw, which the facade answers as it is', async () => {
    const error = await invoke('refuseOnce');
    expect(error).toBe(REFUSAL);
    expect(toRestError(error)).toBe(REFUSAL);
  });

  it("rejects with a TollgateError for what the chain's first step refuses itself (unstorable text)", async () => {
    const error = await invoke('echo', { name: 'a\u0000b' });
    expect(error).not.toBeInstanceOf(TRPCError);
    expect(isTollgateError(error) && error.code).toBe('VALIDATION_FAILED');
  });

  it('an unreachable database is UNAVAILABLE, as a TollgateError, and is not logged', async () => {
    const logged = vi.spyOn(services.log, 'error');
    try {
      const error = await invoke('databaseDown');
      expect(error).not.toBeInstanceOf(TRPCError);
      expect(isTollgateError(error) && error.code).toBe('UNAVAILABLE');
      expect(logged).not.toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
  });

  it('an internal failure is INTERNAL without its message, logged once with its path', async () => {
    const logged = vi.spyOn(services.log, 'error');
    try {
      const error = await invoke('crash');
      expect(toRestError(error)).toMatchObject({ code: 'INTERNAL' });
      expect(JSON.stringify(toRestError(error))).not.toContain('hunter2');
      expect(logged).toHaveBeenCalledTimes(1);
      expect(logged).toHaveBeenCalledWith(expect.objectContaining({ path: 'crash' }), 'procedure failed');
    } finally {
      logged.mockRestore();
    }
  });

  it('tRPC callers still get the TRPCError with the matching code, carrying that same TollgateError', async () => {
    const caller = createCaller(context());
    const error = await caller.refuseOnce().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TRPCError);
    expect(error).toMatchObject({ code: 'PAYMENT_REQUIRED', message: 'Top up first.' });
    expect((error as TRPCError).cause).toBe(REFUSAL);
  });
});
