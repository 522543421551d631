import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { ErrandItem } from '@linli/contracts';
import type { Database } from '../../src/infra/db/database';
import type { SequencedEvent } from '../../src/modules/live/domain';

// A small neighbourhood arranged by SQL (the notification code reads only these tables), and
// the live events the relay would hand the planner.

export interface Neighbourhood {
  communityId: number;
  compoundId: number;
  buildingId: number;
}

export async function arrangeNeighbourhood(db: Database, at: number): Promise<Neighbourhood> {
  const community = await db.run('INSERT INTO communities (name, street, district, created_at) VALUES (?, ?, ?, ?)', [
    '河畔社区',
    '五里河街道',
    '沈河区',
    at,
  ]);
  const compound = await db.run('INSERT INTO compounds (community_id, name, lockdown, updated_at) VALUES (?, ?, ?, ?)', [
    community.insertId,
    '河畔花园',
    'closed',
    at,
  ]);
  const building = await db.run(
    'INSERT INTO buildings (community_id, compound_id, name, floors, has_lift, lat, lng) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [community.insertId, compound.insertId, '3号楼', 7, false, 41.77465, 123.43231],
  );
  return { communityId: community.insertId, compoundId: compound.insertId, buildingId: building.insertId };
}

export async function addUser(db: Database, openid: string, name: string, roles: string, at: number): Promise<number> {
  const r = await db.run('INSERT INTO users (openid, name, phone, roles, created_at) VALUES (?, ?, ?, ?, ?)', [
    openid,
    name,
    '13812341234',
    roles,
    at,
  ]);
  return r.insertId;
}

/** A household on the 3rd floor, room 301; `userId` null for a neighbour typed in by a helper. */
export async function addHousehold(db: Database, n: Neighbourhood, userId: number | null, at: number): Promise<number> {
  const r = await db.run(
    `INSERT INTO households (user_id, community_id, building_id, unit, floor, room, contact_name, phone, created_at, updated_at)
     VALUES (?, ?, ?, '2单元', 3, '301', '李桂芝', '13912345678', ?, ?)`,
    [userId, n.communityId, n.buildingId, at, at],
  );
  return r.insertId;
}

export async function addHelper(db: Database, n: Neighbourhood, userId: number, at: number): Promise<number> {
  const r = await db.run(
    "INSERT INTO helpers (user_id, community_id, kind, verified, on_duty, created_at) VALUES (?, ?, 'household_head', 1, 1, ?)",
    [userId, n.communityId, at],
  );
  return r.insertId;
}

let errandCount = 0;

export async function addErrand(
  db: Database,
  n: Neighbourhood,
  householdId: number,
  requesterId: number,
  at: number,
  items: ErrandItem[] = [{ name: '农夫山泉', quantity: 2, unit: '桶' }],
): Promise<{ id: number; publicId: string }> {
  const publicId = `errand${String(++errandCount).padStart(16, '0')}`;
  const r = await db.run(
    `INSERT INTO errands (public_id, community_id, compound_id, building_id, household_id, requester_id, category, items_json, heavy,
                          urgency, status, handover_code, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'water', ?, 1, 'urgent', 'offered', '1234', ?, ?)`,
    [publicId, n.communityId, n.compoundId, n.buildingId, householdId, requesterId, JSON.stringify(items), at, at],
  );
  return { id: r.insertId, publicId };
}

export async function addOffer(db: Database, n: Neighbourhood, errandId: number, helperId: number, at: number, expiresAt: number) {
  await db.run(
    "INSERT INTO offers (errand_id, helper_id, community_id, round, status, created_at, expires_at) VALUES (?, ?, ?, 1, 'open', ?, ?)",
    [errandId, helperId, n.communityId, at, expiresAt],
  );
}

let seq = 0;

/** A live event as the relay hands it over, numbered on from the last one. */
export function liveEvent(e: Partial<SequencedEvent> & Pick<SequencedEvent, 'type' | 'communityId' | 'createdAt'>): SequencedEvent {
  return {
    seq: ++seq,
    errandId: null,
    errandPublicId: null,
    status: null,
    householdId: null,
    userId: null,
    helperId: null,
    staffCommunityId: null,
    ...e,
  };
}

export interface ScenarioOptions {
  items?: ErrandItem[];
  residentOpenid?: string;
  offerWindowMs?: number;
}

let people = 0;

/** A resident whose errand is offered to one helper, and the events its life would produce (at `now()` when called). */
export async function offeredErrand(db: Database, n: Neighbourhood, now: () => number, opts: ScenarioOptions = {}) {
  const k = ++people;
  const at = now();
  const residentOpenid = opts.residentOpenid ?? `oResident${k}`;
  const residentId = await addUser(db, residentOpenid, '李桂芝', 'resident', at);
  const householdId = await addHousehold(db, n, residentId, at);
  const helperOpenid = `oHelper${k}`;
  const helperId = await addHelper(db, n, await addUser(db, helperOpenid, '王秀兰', 'resident,helper', at), at);
  const errand = await addErrand(db, n, householdId, residentId, at, opts.items);
  await addOffer(db, n, errand.id, helperId, at, at + (opts.offerWindowMs ?? 180_000));
  const base = { communityId: n.communityId, errandId: errand.id, errandPublicId: errand.publicId };
  const update = (status: 'accepted' | 'delivered') =>
    liveEvent({ ...base, type: 'errand.updated', status, householdId, userId: residentId, helperId, createdAt: now() });
  return {
    residentOpenid,
    helperOpenid,
    errand,
    householdId,
    offerCreated: () => liveEvent({ ...base, type: 'offer.created', helperId, createdAt: now() }),
    accepted: () => update('accepted'),
    delivered: () => update('delivered'),
  };
}

/** Every page of the mini-program (main package and subpackages), read from its app.config.ts. */
export function miniprogramPages(): string[] {
  const source = readFileSync(path.resolve(__dirname, '../../../miniprogram/src/app.config.ts'), 'utf8');
  const list = (s: string) => [...s.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
  const main = list(/^\s*pages:\s*\[([^\]]*)\]/m.exec(source)![1]!);
  const sub = [...source.matchAll(/root:\s*'([^']+)',\s*pages:\s*\[([^\]]*)\]/g)].flatMap((m) => list(m[2]!).map((p) => `${m[1]}/${p}`));
  return [...main, ...sub];
}

/** A logger that keeps every line, so tests can check what never reaches the logs. */
export function recordingLog(lines: string[]): FastifyBaseLogger {
  const keep = (...args: unknown[]) => void lines.push(JSON.stringify(args, (_k, v: unknown) => (v instanceof Error ? v.message : v)));
  const log = { level: 'info', fatal: keep, error: keep, warn: keep, info: keep, debug: keep, trace: keep, silent: keep, child: () => log };
  return log as unknown as FastifyBaseLogger;
}
