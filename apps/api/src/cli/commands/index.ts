import type { CliCommand } from '../command.ts';
import { memberAddCommand } from './member-add.ts';
import { migrateCommand } from './migrate.ts';
import { orgCreateCommand } from './org-create.ts';
import { seedCommand } from './seed.ts';
import { tokenCreateCommand } from './token-create.ts';
import { tokenListCommand } from './token-list.ts';
import { tokenRevokeCommand } from './token-revoke.ts';
import { tokenScanCommand } from './token-scan.ts';
import { userCreateCommand } from './user-create.ts';

/** Every `tollgate` command, in the order `--help` lists them. A new command: its file and a line here. */
export const COMMANDS: readonly CliCommand[] = [
  migrateCommand,
  seedCommand,
  orgCreateCommand,
  userCreateCommand,
  memberAddCommand,
  tokenCreateCommand,
  tokenListCommand,
  tokenRevokeCommand,
  tokenScanCommand,
];
