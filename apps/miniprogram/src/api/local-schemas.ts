import { z } from 'zod';

/**
 * Shapes the BFF does not serve yet, kept here until they move into @linli/contracts.
 * GET /api/v1/helper/record — the helper's service record (requested from the BFF side).
 */
export const HelperRecord = z.object({
  completed: z.number().int(),
  inProgress: z.number().int(),
  hoursOnDuty: z.number(),
  averageStars: z.number().nullable(),
  thanks: z.number().int(),
  since: z.string().nullable(),
});
export type HelperRecord = z.infer<typeof HelperRecord>;
