import { router } from '../../trpc/init.ts';
import { addMemberProcedure } from './add.ts';
import { changeMemberRoleProcedure } from './change-role.ts';
import { listMembersProcedure } from './list.ts';
import { removeMemberProcedure } from './remove.ts';

export const membersRouter = router({
  list: listMembersProcedure,
  add: addMemberProcedure,
  changeRole: changeMemberRoleProcedure,
  remove: removeMemberProcedure,
});
