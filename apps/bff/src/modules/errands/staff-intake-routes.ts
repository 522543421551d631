import { z } from 'zod';
import { CallerErrandBody, ErrandView, ErrorBody, HouseholdIdParams } from '@linli/contracts';
import type { ZodApp } from '../../http';
import { actorOf, requireSession } from '../../plugins/auth';
import type { AuthService } from '../auth/service';
import type { StaffIntake } from './staff-intake';

const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string({ error: '缺少 Idempotency-Key 请求头' })
    .regex(/^[A-Za-z0-9_.:-]{8,100}$/, 'Idempotency-Key 须为 8 到 100 位字母、数字或 _.:-'),
});

/** 电话代下单: staff create an errand for a caller's household. */
export function staffIntakeRoutes(app: ZodApp, auth: AuthService, intake: StaffIntake): void {
  app.register(async (scope: ZodApp) => {
    requireSession(scope, auth);
    scope.post(
      '/api/v1/staff/households/:id/errands',
      {
        schema: {
          tags: ['staff'],
          description: 'Creates and dispatches an errand for a household of the staff member’s community (hotline intake). Audited.',
          params: HouseholdIdParams,
          headers: IdempotencyHeaders,
          body: CallerErrandBody,
          response: { 201: ErrandView, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody },
        },
      },
      async (req, reply) => {
        const view = await intake.createForCaller(actorOf(req), req.params.id, req.body, req.headers['idempotency-key']);
        return reply.status(201).send(view);
      },
    );
  });
}
