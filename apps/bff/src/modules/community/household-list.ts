import type { z } from 'zod';
import { maskName, maskPhone, type HouseholdListItem, type HouseholdListQuery, type HouseholdPage } from '@linli/contracts';
import type { Database } from '../../infra/db/database';
import { badRequest } from '../../errors';
import type { AuthUser } from '../auth/actor';
import { careOfHouseholds, householdIdsUnderCare, type HouseholdCare } from '../care/read-model';
import { doorOf } from '../care/domain';
import { openErrandCountsOfHouseholds } from '../errands/store';
import { requireScope } from '../oversight/scope';
import { parseHouseholdQuery } from './household-search';
import { countHouseholds, householdListPage, householdQuerySql, type HouseholdKey, type HouseholdListRow } from './household-list-store';

const BAD_CURSOR = '翻页位置无效，请回到第一页重新加载';

/** The cursor clients pass back: the last row's key, opaque (base64url of JSON, tagged). */
export function encodeHouseholdCursor(key: HouseholdKey): string {
  return Buffer.from(JSON.stringify(['hh', ...key])).toString('base64url');
}

/** Columns count characters, not UTF-16 units: an emoji is one character of a name, two units. */
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && Array.from(v).length <= max;
const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** The key a cursor holds; a 400 for anything this list did not hand out. */
export function decodeHouseholdCursor(cursor: string): HouseholdKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 8 || parsed[0] !== 'hh') throw badRequest('BAD_CURSOR', BAD_CURSOR);
  const [, compoundName, compoundId, buildingName, buildingId, unit, room, id] = parsed as unknown[];
  // The lengths of the columns they come from: a longer value was never a row's.
  if (
    !isText(compoundName, 50) ||
    !isId(compoundId) ||
    !isText(buildingName, 30) ||
    !isId(buildingId) ||
    !isText(unit, 10) ||
    !isText(room, 10) ||
    !isId(id)
  ) {
    throw badRequest('BAD_CURSOR', BAD_CURSOR);
  }
  return [compoundName, compoundId, buildingName, buildingId, unit, room, id];
}

function toItem(r: HouseholdListRow, care: HouseholdCare | undefined, openErrands: number, personal: boolean): HouseholdListItem {
  const { key: _key, ...row } = r;
  return {
    ...row,
    place: doorOf({ building: r.buildingName, unit: r.unit, room: r.room }),
    // Street and district staff oversee: like their exports, the list names nobody in full.
    contactName: personal ? r.contactName : (maskName(r.contactName) ?? ''),
    phone: personal ? r.phone : (maskPhone(r.phone) ?? ''),
    careHelperName: care?.helperName ?? null,
    cadenceDays: care?.cadenceDays ?? null,
    openErrands,
  };
}

/**
 * The whole household registry for staff (住户台账 全部住户), paged on the server. Community staff
 * read their community; street and district staff their scope or one community of it, read-only.
 * Reading changes nothing and writes no audit row, as with the queue and the care ledger; the
 * console's CSV of it is built from these pages (exports of errands are the audited ones).
 */
export class HouseholdList {
  constructor(private readonly db: Database) {}

  async list(actor: AuthUser, q: z.output<typeof HouseholdListQuery>): Promise<HouseholdPage> {
    const scope = await requireScope(this.db, actor, q.communityId);
    const communityIds = q.communityId !== undefined ? [q.communityId] : scope.communityIds;
    const from = q.cursor === undefined ? null : decodeHouseholdCursor(q.cursor);
    const filter = {
      communityIds,
      compoundId: q.compoundId ?? null,
      buildingId: q.buildingId ?? null,
      vulnerable: q.vulnerable === true,
      // Care is the care module's: it names the households under care, the registry filters by them.
      householdIds: q.care === true ? await householdIdsUnderCare(this.db, communityIds) : null,
      search: q.q === undefined ? null : householdQuerySql(parseHouseholdQuery(q.q)),
    };
    // One row past the page says whether there is a next one.
    const [rows, total] = await Promise.all([householdListPage(this.db, filter, from, q.limit + 1), countHouseholds(this.db, filter)]);
    const page = rows.slice(0, q.limit);
    const ids = page.map((r) => r.id);
    const [care, open] = await Promise.all([careOfHouseholds(this.db, ids), openErrandCountsOfHouseholds(this.db, ids)]);
    return {
      items: page.map((r) => toItem(r, care.get(r.id), open.get(r.id) ?? 0, !scope.readOnly)),
      nextCursor: rows.length > q.limit ? encodeHouseholdCursor(page[page.length - 1]!.key) : null,
      total,
    };
  }
}
