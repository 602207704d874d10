import { z } from 'zod';
import { ZUpdateOrganizationInput } from '../../core/organizations.ts';
import { ZOrganizationSchema } from './get.types.ts';

/** A new name and/or any subset of policy fields (§5); fields left out keep their value. */
export const ZUpdateOrganizationInputSchema = ZUpdateOrganizationInput;
export type TUpdateOrganizationInput = z.infer<typeof ZUpdateOrganizationInputSchema>;

export const ZUpdateOrganizationOutputSchema = ZOrganizationSchema.extend({
  /** Live tokens the policy now in force would not allow; they keep working until their own expiry (§5). */
  tokensBeyondPolicy: z.number().int().min(0),
});
