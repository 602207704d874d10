import { router } from '../../trpc/init.ts';
import { createTokenProcedure } from './create.ts';
import { deactivateTokenProcedure } from './deactivate.ts';
import { deleteTokenProcedure } from './delete.ts';
import { endGraceProcedure } from './end-grace.ts';
import { getTokenProcedure } from './get.ts';
import { listTokensProcedure } from './list.ts';
import { reactivateTokenProcedure } from './reactivate.ts';
import { revokeTokenProcedure } from './revoke.ts';
import { rotateTokenProcedure } from './rotate.ts';
import { selfTokenProcedure } from './self.ts';
import { selfRotateTokenProcedure } from './self-rotate.ts';
import { updateTokenProcedure } from './update.ts';
import { tokenUsageProcedure } from './usage.ts';

/** The token lifecycle of §3: one procedure per file, each with its scope and REST route in its meta. */
export const tokensRouter = router({
  create: createTokenProcedure,
  list: listTokensProcedure,
  get: getTokenProcedure,
  update: updateTokenProcedure,
  deactivate: deactivateTokenProcedure,
  reactivate: reactivateTokenProcedure,
  revoke: revokeTokenProcedure,
  delete: deleteTokenProcedure,
  rotate: rotateTokenProcedure,
  endGrace: endGraceProcedure,
  self: selfTokenProcedure,
  selfRotate: selfRotateTokenProcedure,
  usage: tokenUsageProcedure,
});
