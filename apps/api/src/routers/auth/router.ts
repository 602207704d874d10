import { router } from '../../trpc/init.ts';
import { loginProcedure } from './login.ts';
import { logoutProcedure } from './logout.ts';
import { meProcedure } from './me.ts';
import { switchOrganizationProcedure } from './switch-organization.ts';

/** Sign-in for the web app: cookie sessions, not tokens (tokens are for APIs). */
export const authRouter = router({
  login: loginProcedure,
  logout: logoutProcedure,
  me: meProcedure,
  switchOrganization: switchOrganizationProcedure,
});
