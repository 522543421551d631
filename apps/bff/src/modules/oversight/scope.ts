import type { ScopeTree, StaffLevel } from '@linli/contracts';
import type { Sql } from '../../infra/db/database';
import { communityIdsUnder, communityPlaces } from '../community/store';
import { forbidden, notFound } from '../../errors';
import type { AuthUser } from '../auth/actor';
import { districtNames, streetNames } from './store';

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
  if (actor.overseer) overseen = await communityIdsUnder(sql, actor.overseer.level, actor.overseer.scopeId);
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
async function scopeTree(sql: Sql, scope: Scope): Promise<ScopeTree> {
  const ids = scope.communityIds;
  const places = await communityPlaces(sql, ids);
  const [streets, districtsById] = await Promise.all([
    streetNames(
      sql,
      places.flatMap((p) => (p.streetId === null ? [] : [p.streetId])),
    ),
    districtNames(
      sql,
      places.flatMap((p) => (p.districtId === null ? [] : [p.districtId])),
    ),
  ]);
  // Only communities placed under a known street and district appear in the tree.
  const placed = places
    .flatMap((p) => (p.streetId !== null && p.districtId !== null ? [{ ...p, streetId: p.streetId, districtId: p.districtId }] : []))
    .filter((p) => streets.has(p.streetId) && districtsById.has(p.districtId))
    .sort((a, b) => a.districtId - b.districtId || a.streetId - b.streetId || a.id - b.id);
  const districts: ScopeTree['districts'] = [];
  for (const p of placed) {
    let district = districts.find((d) => d.id === p.districtId);
    if (!district) districts.push((district = { id: p.districtId, name: districtsById.get(p.districtId)!, streets: [] }));
    let street = district.streets.find((s) => s.id === p.streetId);
    if (!street) district.streets.push((street = { id: p.streetId, name: streets.get(p.streetId)!, communities: [] }));
    street.communities.push({ id: p.id, name: p.name });
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
