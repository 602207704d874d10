import { router } from '../../trpc/init.ts';
import { revokeCredentialsProcedure } from './revoke.ts';

/** Leaked credentials (§13): public leak reports. */
export const credentialsRouter = router({
  revoke: revokeCredentialsProcedure,
});
