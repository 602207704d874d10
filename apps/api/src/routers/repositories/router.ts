import { router } from '../../trpc/init.ts';
import { createRepositoryProcedure } from './create.ts';
import { deleteRepositoryProcedure } from './delete.ts';
import { getRepositoryProcedure } from './get.ts';
import { listRepositoriesProcedure } from './list.ts';
import { updateRepositoryProcedure } from './update.ts';

/** Repositories (§4 repositories:*): one procedure per file, each with its scope and REST route in its meta. */
export const repositoriesRouter = router({
  list: listRepositoriesProcedure,
  create: createRepositoryProcedure,
  get: getRepositoryProcedure,
  update: updateRepositoryProcedure,
  delete: deleteRepositoryProcedure,
});
