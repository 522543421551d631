import type { AuditPage, AuditQuery } from '@linli/contracts';
import type { Database } from '../../infra/db/database';
import type { AuthUser } from '../auth/actor';
import { requireScope } from '../oversight/scope';
import { listAudit } from './store';

/** Reading the audit log: a community's staff read their community's, street and district staff their scope's. */
export class AuditService {
  constructor(private readonly db: Database) {}

  async list(actor: AuthUser, q: AuditQuery): Promise<AuditPage> {
    const scope = await requireScope(this.db, actor, q.communityId);
    const [createdAt, id] = q.cursor ? q.cursor.split('.').map(Number) : [];
    const rows = await listAudit(this.db, {
      communityIds: q.communityId !== undefined ? [q.communityId] : scope.communityIds,
      action: q.action,
      fromMs: q.from ? Date.parse(q.from) : undefined,
      toMs: q.to ? Date.parse(q.to) : undefined,
      before: createdAt !== undefined && id !== undefined ? { createdAt, id } : undefined,
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(({ createdAtMs: _, ...entry }) => entry),
      nextCursor: rows.length > q.limit && last ? `${last.createdAtMs}.${last.id}` : null,
    };
  }
}
