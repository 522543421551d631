import { slaStatus, type ErrandSummary, type SlaConfig } from '@linli/contracts';
import { type ErrandRecord, type Relation } from './domain';
import { toErrandView } from './views';

/** An errand as lists show it (no timeline, address or code), with its 红黄蓝 status at `now`. */
export function summary(e: ErrandRecord, relation: Relation, now: number, sla: Pick<SlaConfig, 'dueSoonShare'>): ErrandSummary {
  const { timeline: _t, address: _a, handoverCode: _h, ...rest } = toErrandView(e, relation, []);
  return { ...rest, sla: errandSla(e, now, sla) };
}

/** The errand's tier and time left at `now`: it meets its tier once delivered. */
function errandSla(e: Pick<ErrandRecord, 'slaTier' | 'dueAt' | 'createdAt' | 'status'>, now: number, sla: Pick<SlaConfig, 'dueSoonShare'>) {
  return slaStatus(
    {
      tier: e.slaTier,
      dueAt: e.dueAt,
      createdAt: e.createdAt,
      delivered: e.status === 'delivered' || e.status === 'completed',
      closed: e.status === 'cancelled',
    },
    now,
    sla,
  );
}
