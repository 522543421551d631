import { z } from 'zod';
import { ErrandStatus } from './enums';
import { ErrandSummary } from './errands';

export const QUEUE_FILTERS = ['all', 'unmatched', 'offered', 'escalated', 'in_progress', 'delivered'] as const;
export const StaffQueueQuery = z.object({
  filter: z.enum(QUEUE_FILTERS).default('all'),
});

export const QueueEntry = ErrandSummary.extend({
  priority: z.number(),
  ageSeconds: z.number().int(),
  badges: z.array(z.enum(['urgent', 'vulnerable', 'closed_compound', 'escalated'])),
});
export const StaffQueue = z.object({ items: z.array(QueueEntry) });

export const HealthStatus = z.object({
  status: z.enum(['ok', 'degraded', 'down']),
  checks: z.record(z.string(), z.enum(['ok', 'down', 'not_configured'])),
});

