import { router } from '../../trpc/init.ts';
import { get } from './get.ts';
import { stats } from './stats.ts';
import { update } from './update.ts';

export const organizationRouter = router({ get, update, stats });
