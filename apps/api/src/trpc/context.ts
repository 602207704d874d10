import { emptyRequest, type RequestInfo } from '../request-info.ts';
import type { Services } from '../services.ts';

export interface Context {
  services: Services;
  request: RequestInfo;
}

/** The context of a procedure call, without any HTTP framework: what router tests and the REST facade use. */
export function createContextInner(opts: { services: Services; request?: Partial<RequestInfo> }): Context {
  return { services: opts.services, request: emptyRequest(opts.request) };
}
