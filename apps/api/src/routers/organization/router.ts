import { router } from '../../trpc/init.ts';
import { getOrganizationProcedure } from './get.ts';
import { organizationStatsProcedure } from './stats.ts';
import { updateOrganizationProcedure } from './update.ts';

export const organizationRouter = router({
  get: getOrganizationProcedure,
  update: updateOrganizationProcedure,
  stats: organizationStatsProcedure,
});
