export { MAX_CREDIT_PURCHASE, MIN_CREDIT_PURCHASE, REVIEW_CREDIT_COST } from './billing/credits.ts';
export {
  BASE62_ALPHABET,
  base62Value,
  decodeBase62,
  encodeBase62Fixed,
  randomBase62,
} from './encoding/base62.ts';
export { crc32 } from './encoding/crc32.ts';
export {
  ERROR_CODES,
  ERRORS,
  type ErrorBody,
  type ErrorCode,
  type ErrorDetail,
  errorBody,
  errorTypeUri,
  isTollgateError,
  type ProblemDocument,
  problemDocument,
  TollgateError,
} from './error/errors.ts';
export { ID_PREFIXES, type IdKind, idKindOf, newId, ZId } from './id/ids.ts';
export { normalizeIpAddress } from './ip/address.ts';
export { compileIpAllowlist, type IpMatcher, isIpAllowed } from './ip/allowlist.ts';
export { type IpRange, type ParseIpRangeResult, parseIpRange, ZIpRange } from './ip/range.ts';
export {
  type ResolveTokenExpiryInput,
  type ResolveTokenExpiryResult,
  resolveTokenExpiry,
} from './policy/expiry.ts';
export {
  API_ACCESS_MODES,
  DEFAULT_POLICY,
  MAX_TOKEN_LIFETIME_DAYS,
  resolvePolicy,
  type TOrganizationPolicy,
  type TOrganizationPolicyPatch,
  ZApiAccess,
  ZOrganizationPolicy,
  ZOrganizationPolicyPatch,
} from './policy/policy.ts';
export {
  canManageOthersTokens,
  clipScopesToRole,
  type EffectiveScopesInput,
  effectiveScopes,
  ROLE_CEILINGS,
  ROLES,
  type Role,
  roleAllows,
  roleAtLeast,
  roleCeiling,
  ZRole,
} from './role/roles.ts';
export { MAX_INTEGER_COLUMN } from './schemas/bounds.ts';
export {
  MAX_IP_ALLOWLIST_ENTRIES,
  MAX_ROTATION_GRACE_SECONDS,
  type TCreateTokenInput,
  type TListTokensInput,
  TOKEN_STATUSES,
  type TokenStatusFields,
  type TRotateTokenInput,
  type TToken,
  type TTokenLastUsedAddress,
  type TTokenStatus,
  type TTokenType,
  type TTokenWithSecret,
  type TUpdateTokenInput,
  tokenStatus,
  ZCreateTokenInput,
  ZListTokensInput,
  ZRotateTokenInput,
  ZScopeList,
  ZToken,
  ZTokenLastUsedAddress,
  ZTokenStatus,
  ZTokenType,
  ZTokenWithSecret,
  ZUpdateTokenInput,
} from './schemas/token.ts';
export {
  DEFAULT_SCOPES,
  SCOPE_NAMES,
  SCOPES,
  type Scope,
  type ScopeAccess,
  type ScopeDefinition,
  type ScopeResource,
  ZScope,
} from './scope/catalogue.ts';
export {
  impliedScopes,
  isScope,
  normalizeScopes,
  type ParseScopesResult,
  parseScopes,
  readScopeOf,
  scopeSatisfies,
} from './scope/scopes.ts';
export {
  effectiveLimits,
  type RateLimitOverrides,
  type RateLimits,
  TIER_NAMES,
  TIERS,
  type Tier,
  tierLimits,
  ZTier,
} from './tier/tiers.ts';
export { tokenChecksum } from './token/checksum.ts';
export {
  assertTokenPrefix,
  DEFAULT_TOKEN_PREFIX,
  isValidTokenPrefix,
  TOKEN_CHECKSUM_LENGTH,
  TOKEN_DISPLAY_PREFIX_LENGTH,
  TOKEN_KIND_LETTER,
  TOKEN_KINDS,
  TOKEN_PATTERN,
  TOKEN_SECRET_LENGTH,
  type TokenKind,
  type TokenPrefixOptions,
  tokenDisplayPrefix,
  tokenLength,
  tokenPattern,
  ZTokenPrefix,
} from './token/format.ts';
export { type NewToken, newToken } from './token/generate.ts';
export { hashToken } from './token/hash.ts';
export { type ParseTokenResult, parseToken } from './token/parse.ts';
export {
  TOKEN_REVOKED_REASONS,
  type TTokenRevokedReason,
  ZTokenRevokedReason,
} from './token/revoked-reason.ts';
export {
  CREDITS_LOW_THRESHOLD,
  crossesCreditsLow,
  isWebhookEventType,
  TOKEN_EXPIRY_NOTICE_DAYS,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_EVENTS,
  WEBHOOK_SECRET_DISPLAY_LENGTH,
  WEBHOOK_SECRET_LENGTH,
  WEBHOOK_SECRET_PREFIX,
  type WebhookEventType,
  ZWebhookEvent,
} from './webhook/events.ts';
