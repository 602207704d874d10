import { ZId } from '@tollgate/domain';
import { z } from 'zod';

export const ZSwitchOrganizationInputSchema = z.object({ organizationId: ZId('organization') });
export type TSwitchOrganizationInput = z.infer<typeof ZSwitchOrganizationInputSchema>;

export { ZSessionViewSchema as ZSwitchOrganizationOutputSchema } from './session-view.types.ts';
