import { router } from '../../trpc/init.ts';
import { add } from './add.ts';
import { changeRole } from './change-role.ts';
import { list } from './list.ts';
import { remove } from './remove.ts';

export const membersRouter = router({ list, add, changeRole, remove });
