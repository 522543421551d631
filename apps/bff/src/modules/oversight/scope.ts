import type { ScopeTree, StaffLevel } from '@linli/contracts';
import { num, type Sql } from '../../infra/db/database';
import { forbidden, notFound } from '../../errors';
import type { AuthUser } from '../auth/actor';

/** The communities a staff member may see, and whether they may change anything there. */
export interface Scope {
  level: StaffLevel;
  /** Ascending. */
  communityIds: number[];
  /** Street and district staff watch and drill down; only a community's own staff act. */
  readOnly: boolean;
}

/**
 * Which level the actor works at, or null for someone who is no staff at all. One level per
 * person: a street or district assignment (overseer) wins over a community one.
 */
export function staffLevelOf(actor: AuthUser): StaffLevel | null {
  if (actor.overseer) return actor.overseer.level;
  if (actor.roles.includes('staff') && actor.staffCommunityId !== null) return 'community';
  return null;
}

/** Pure: the scope of an actor at `level`, given the communities their street or district holds. */
export function scopeOf(actor: AuthUser, overseenCommunityIds: readonly number[]): Scope | null {
  const level = staffLevelOf(actor);
  if (level === null) return null;
  if (level === 'community') return { level, communityIds: [actor.staffCommunityId!], readOnly: false };
  return { level, communityIds: [...new Set(overseenCommunityIds)].sort((a, b) => a - b), readOnly: true };
}

/** The actor's scope, read from the levels; 403 for anyone who is no staff. */
export async function resolveScope(sql: Sql, actor: AuthUser): Promise<Scope> {
  let overseen: number[] = [];
  if (actor.overseer) {
    const column = actor.overseer.level === 'street' ? 'street_id' : 'district_id';
    const rows = await sql.all<{ id: unknown }>(`SELECT id FROM communities WHERE ${column} = ?`, [actor.overseer.scopeId]);
    overseen = rows.map((r) => num(r.id));
  }
  const scope = scopeOf(actor, overseen);
  if (!scope) throw forbidden('只有社区、街道或区的工作人员可以查看');
  return scope;
}

/**
 * Default deny for a staff use case at any level: 403 for non-staff, 403 for a change by
 * read-only (street, district) staff, and 404 — as for a missing record — for a community outside
 * the caller's scope.
 */
export async function requireScope(sql: Sql, actor: AuthUser, communityId?: number, options: { write?: boolean } = {}): Promise<Scope> {
  const scope = await resolveScope(sql, actor);
  if (options.write && scope.readOnly) throw forbidden('街道和区的工作人员只能查看，具体操作请由社区工作者办理', 'READ_ONLY_SCOPE');
  if (communityId !== undefined && !scope.communityIds.includes(communityId)) throw notFound();
  return scope;
}

/** district → street → community, limited to the given communities (and the names above them). */
export async function scopeTree(sql: Sql, scope: Scope): Promise<ScopeTree> {
  const ids = scope.communityIds;
  const rows = ids.length
    ? await sql.all<Record<string, unknown>>(
        `SELECT c.id, c.name, c.street_id, c.district_id, s.name AS street_name, d.name AS district_name
           FROM communities c
           JOIN streets s ON s.id = c.street_id
           JOIN districts d ON d.id = c.district_id
          WHERE c.id IN (${ids.map(() => '?').join(', ')})
          ORDER BY d.id, s.id, c.id`,
        ids,
      )
    : [];
  const districts: ScopeTree['districts'] = [];
  for (const r of rows) {
    const districtId = num(r.district_id);
    const streetId = num(r.street_id);
    let district = districts.find((d) => d.id === districtId);
    if (!district) districts.push((district = { id: districtId, name: String(r.district_name), streets: [] }));
    let street = district.streets.find((s) => s.id === streetId);
    if (!street) district.streets.push((street = { id: streetId, name: String(r.street_name), communities: [] }));
    street.communities.push({ id: num(r.id), name: String(r.name) });
  }
  return { level: scope.level, readOnly: scope.readOnly, communityIds: ids, districts };
}

/** The scope functions bound to one database, for services that take their collaborators. */
export class ScopeService {
  constructor(private readonly sql: Sql) {}

  resolveScope(actor: AuthUser): Promise<Scope> {
    return resolveScope(this.sql, actor);
  }

  requireScope(actor: AuthUser, communityId?: number, options?: { write?: boolean }): Promise<Scope> {
    return requireScope(this.sql, actor, communityId, options);
  }

  async tree(actor: AuthUser): Promise<ScopeTree> {
    return scopeTree(this.sql, await resolveScope(this.sql, actor));
  }
}
