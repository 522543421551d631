import type { ErrandTransition, ErrandView } from '@linli/contracts';
import type { Database, Sql, Statement } from '../../infra/db/database';
import { notFound } from '../../errors';
import type { AuthUser } from '../auth/actor';
import { relationTo } from './domain';
import { toErrandView } from './views';
import { toRecord, toTimelineRow } from './store';
import { sendTransition } from './transition-store';

/**
 * accept, pickup, deliver, confirm: after their read, sends `statements` (a transition's first,
 * the record and its timeline last) as one batch with the COMMIT, in one packet, and returns the
 * errand as the caller now sees it.
 */
export async function changeAndView(
  db: Database,
  actor: AuthUser,
  step: ErrandTransition,
  statements: (tx: Sql) => Statement[],
  before?: (tx: Sql) => Promise<void>,
): Promise<ErrandView> {
  const results = await db.transaction(
    async (tx) => {
      await before?.(tx);
      return sendTransition(tx, step, statements(tx), { commit: true });
    },
    { batched: true },
  );
  const record = toRecord(results[results.length - 2]!.rows[0]!);
  const relation = relationTo(actor, record, false);
  if (!relation) throw notFound('没有找到这个代办');
  return toErrandView(record, relation, results[results.length - 1]!.rows.map(toTimelineRow), actor.userId);
}
