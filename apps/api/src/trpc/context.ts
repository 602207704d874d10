import type { TPlaygroundSendInput, TPlaygroundSendOutput } from '@tollgate/domain';
import type { SessionPrincipal } from '../auth/principal.ts';
import { emptyRequest, type RequestInfo } from '../request-info.ts';
import type { Services } from '../services.ts';

/**
 * Runs a REST request in process for the API playground (rest/playground.ts). The server builds it once from
 * its route table and hands it in here, so that the playground procedure does not reach for the router.
 */
export interface PlaygroundDispatcher {
  send(
    services: Services,
    session: SessionPrincipal,
    request: RequestInfo,
    input: TPlaygroundSendInput,
  ): Promise<TPlaygroundSendOutput>;
}

export interface Context {
  services: Services;
  request: RequestInfo;
  /** Absent where no playground is served (REST sub-requests, most tests): playground.send is then INTERNAL. */
  playground?: PlaygroundDispatcher;
}

/** The context of a procedure call, without any HTTP framework: what router tests and the REST facade use. */
export function createContextInner(opts: {
  services: Services;
  request?: Partial<RequestInfo>;
  playground?: PlaygroundDispatcher;
}): Context {
  return {
    services: opts.services,
    request: emptyRequest(opts.request),
    ...(opts.playground ? { playground: opts.playground } : {}),
  };
}
