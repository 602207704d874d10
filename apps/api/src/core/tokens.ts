/** The token core, by purpose: who may do what, creation, changes to an existing token, reading. */

export { toTokenObject } from './token-object.ts';
export type { SystemActor, TokenActor, TokenCallOptions } from './tokens/authority.ts';
export { createToken } from './tokens/create.ts';
export type { TokenDetail } from './tokens/detail.ts';
export {
  deleteToken,
  endRotationGrace,
  revokeToken,
  rotateToken,
  setTokenActive,
  updateToken,
} from './tokens/lifecycle.ts';
export {
  getSelfToken,
  getToken,
  getTokenDetail,
  listTokens,
  type RateLimitWindow,
  type SelfToken,
  type TokenPage,
} from './tokens/list.ts';
