import { router } from '../../trpc/init.ts';
import { listAuditLogsProcedure } from './list.ts';

export const auditRouter = router({ list: listAuditLogsProcedure });
