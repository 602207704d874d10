import { TollgateError, type TTokenWithSecret, type ZRotateTokenInput } from '@tollgate/domain';
import type { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import { rotateToken, type TokenCallOptions } from './tokens.ts';

/**
 * Self-rotate (§3, GitLab's `self/rotate`): the calling token gets a new secret with the same grace choice as
 * rotate (0–7 days), without needing `tokens:write`: a CI job renews the secret it runs with. Everything else
 * is rotate's: the same audit entry and event, the retired secret remembered (§12), and no wider token than its
 * holder could grant. Only a token can rotate itself; a signed-in session is FORBIDDEN.
 */
export async function selfRotateToken(
  services: Parameters<typeof rotateToken>[0],
  caller: Principal,
  input: z.input<typeof ZRotateTokenInput>,
  options: TokenCallOptions = {},
): Promise<TTokenWithSecret> {
  if (caller.kind !== 'token') {
    throw new TollgateError('FORBIDDEN', 'This rotates the calling API token: call it with a Bearer token.');
  }
  return rotateToken(services, caller, { ...input, id: caller.tokenId }, options);
}
