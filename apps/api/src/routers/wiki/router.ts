import { router } from '../../trpc/init.ts';
import { deleteWikiPageProcedure } from './delete.ts';
import { getWikiPageProcedure } from './get.ts';
import { listWikiPagesProcedure } from './list.ts';
import { putWikiPageProcedure } from './put.ts';

/** The organisation's wiki (§4 wiki:*): pages addressed by slug, created or replaced with PUT. */
export const wikiRouter = router({
  list: listWikiPagesProcedure,
  get: getWikiPageProcedure,
  put: putWikiPageProcedure,
  delete: deleteWikiPageProcedure,
});
