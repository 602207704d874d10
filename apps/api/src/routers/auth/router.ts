import { router } from '../../trpc/init.ts';
import { login } from './login.ts';
import { logout } from './logout.ts';
import { me } from './me.ts';
import { switchOrganization } from './switch-organization.ts';

/** Sign-in for the web app: cookie sessions, not tokens (tokens are for APIs). */
export const authRouter = router({ login, logout, me, switchOrganization });
