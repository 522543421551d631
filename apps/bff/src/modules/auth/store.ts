import { ROLES, type Role } from '@linli/contracts';
import { bool, num, numOrNull, type Sql } from '../../infra/db/database';

// The SQL other modules need of users and sessions (this module owns both tables, see
// infra/db/table-ownership.ts). Rows become typed records here, in one mapper per shape.

export interface UserContact {
  id: number;
  name: string;
  phone: string | null;
}

export interface UserWithRoles {
  id: number;
  roles: Role[];
}

/** The roles column ('resident,helper') as the known roles it lists. */
function parseRoles(raw: unknown): Role[] {
  return String(raw)
    .split(',')
    .filter((r): r is Role => (ROLES as readonly string[]).includes(r));
}

const toUserContact = (r: Record<string, unknown>): UserContact => ({
  id: num(r.id),
  name: String(r.name),
  phone: r.phone === null || r.phone === undefined ? null : String(r.phone),
});

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** Name and phone of each of these users (by primary key; unknown ids are simply absent). */
export async function userContacts(sql: Sql, userIds: readonly number[]): Promise<Map<number, UserContact>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  const rows = await sql.all(`SELECT id, name, phone FROM users WHERE id IN (${placeholders(ids.length)})`, ids);
  return new Map(rows.map((r) => [num(r.id), toUserContact(r)]));
}

/** Whom a WeChat message reaches: each user's openid and display name, by id (absent users are left out). */
export async function messageRecipients(sql: Sql, userIds: number[]): Promise<Map<number, { openid: string; name: string }>> {
  if (userIds.length === 0) return new Map();
  const rows = await sql.all(`SELECT id, openid, name FROM users WHERE id IN (${placeholders(userIds.length)})`, userIds);
  return new Map(rows.map((r) => [num(r.id), { openid: String(r.openid), name: String(r.name) }]));
}

/** Accounts registered with this phone number, oldest first. */
export async function usersWithPhone(sql: Sql, phone: string): Promise<UserWithRoles[]> {
  const rows = await sql.all('SELECT id, roles FROM users WHERE phone = ? ORDER BY id', [phone]);
  return rows.map((r) => ({ id: num(r.id), roles: parseRoles(r.roles) }));
}

export async function renameUser(sql: Sql, userId: number, name: string): Promise<void> {
  await sql.run('UPDATE users SET name = ? WHERE id = ?', [name, userId]);
}

/** Gives a user one more role (no change when they have it already). */
export async function grantRole(sql: Sql, user: UserWithRoles, role: Role): Promise<void> {
  if (user.roles.includes(role)) return;
  await sql.run('UPDATE users SET roles = ? WHERE id = ?', [[...user.roles, role].join(','), user.id]);
}

/**
 * An account for someone staff listed before they ever signed in: keyed by a placeholder openid
 * (`import:<community>:<phone>`) until their WeChat login claims it. Returns the user id.
 */
export async function createListedUser(
  sql: Sql,
  u: { placeholderOpenid: string; name: string; phone: string; roles: Role[]; at: number },
): Promise<number> {
  const res = await sql.run('INSERT INTO users (openid, name, phone, roles, created_at) VALUES (?, ?, ?, ?, ?)', [
    u.placeholderOpenid,
    u.name,
    u.phone,
    u.roles.join(','),
    u.at,
  ]);
  return res.insertId;
}

/** Retention: sessions past their expiry go at once. Returns how many. */
export async function purgeExpiredSessions(sql: Sql, now: number): Promise<number> {
  return (await sql.run('DELETE FROM sessions WHERE expires_at <= ?', [now])).affectedRows;
}

/**
 * Records a website-login state as spent (keyed by its nonce). True when this call spent it, false
 * when it was spent before: the insert is the one atomic judge however many callbacks race.
 */
export async function spendWebsiteState(sql: Sql, nonce: string, expiresAt: number): Promise<boolean> {
  const res = await sql.run(`${sql.sqlDialect.insertIgnore} INTO website_login_states (nonce, expires_at) VALUES (?, ?)`, [
    nonce,
    expiresAt,
  ]);
  return res.affectedRows === 1;
}

/** Retention: records of website-login states past their expiry (the state is refused as expired by then). */
export async function purgeExpiredWebsiteStates(sql: Sql, now: number): Promise<number> {
  return (await sql.run('DELETE FROM website_login_states WHERE expires_at <= ?', [now])).affectedRows;
}

/** A session and its user as resolveToken reads them, in one indexed statement. */
export interface SessionPrincipal {
  userId: number;
  expiresAt: number;
  roles: Role[];
  communityId: number | null;
  staffLevel: string | null;
  staffScopeId: number | null;
  householdId: number | null;
  helperId: number | null;
  helperCommunityId: number | null;
  helperVerified: boolean;
}

/**
 * The caller behind a token hash. Runs on every request whose caller the principal cache does not
 * know, so it is one indexed read joining the user's household and helper rows (a documented read-only exception in the ownership map).
 */
export async function sessionPrincipal(sql: Sql, tokenHash: string): Promise<SessionPrincipal | null> {
  const r = await sql.one(
    `SELECT s.user_id, s.expires_at, u.roles, u.community_id, u.staff_level, u.staff_scope_id, hh.id AS household_id,
            hp.id AS helper_id, hp.community_id AS helper_community_id, hp.verified AS helper_verified
       FROM sessions s
       JOIN users u ON u.id = s.user_id
       LEFT JOIN households hh ON hh.user_id = u.id
       LEFT JOIN helpers hp ON hp.user_id = u.id
      WHERE s.token_hash = ?`,
    [tokenHash],
  );
  if (!r) return null;
  return {
    userId: num(r.user_id),
    expiresAt: num(r.expires_at),
    roles: parseRoles(r.roles),
    communityId: numOrNull(r.community_id),
    staffLevel: r.staff_level === null || r.staff_level === undefined ? null : String(r.staff_level),
    staffScopeId: numOrNull(r.staff_scope_id),
    householdId: numOrNull(r.household_id),
    helperId: numOrNull(r.helper_id),
    helperCommunityId: numOrNull(r.helper_community_id),
    helperVerified: bool(r.helper_verified),
  };
}

/** Which of these token hashes belong to sessions still valid at `now`. */
export async function validTokenHashes(sql: Sql, tokenHashes: readonly string[], now: number): Promise<Set<string>> {
  const valid = new Set<string>();
  for (let i = 0; i < tokenHashes.length; i += 1000) {
    const chunk = tokenHashes.slice(i, i + 1000);
    const rows = await sql.all(`SELECT token_hash FROM sessions WHERE token_hash IN (${placeholders(chunk.length)}) AND expires_at > ?`, [
      ...chunk,
      now,
    ]);
    for (const r of rows) valid.add(String(r.token_hash));
  }
  return valid;
}

export async function insertSession(sql: Sql, s: { tokenHash: string; userId: number; at: number; expiresAt: number }): Promise<void> {
  await sql.run('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)', [
    s.tokenHash,
    s.userId,
    s.at,
    s.expiresAt,
  ]);
}

export async function deleteSession(sql: Sql, tokenHash: string): Promise<void> {
  await sql.run('DELETE FROM sessions WHERE token_hash = ?', [tokenHash]);
}

export interface UserAccount extends UserContact {
  roles: Role[];
  communityId: number | null;
}

export async function userAccount(sql: Sql, userId: number): Promise<UserAccount | null> {
  const u = await sql.one('SELECT id, name, phone, roles, community_id FROM users WHERE id = ?', [userId]);
  return u ? { ...toUserContact(u), roles: parseRoles(u.roles), communityId: numOrNull(u.community_id) } : null;
}

export async function userByOpenid(sql: Sql, openid: string): Promise<UserWithRoles | null> {
  const r = await sql.one('SELECT id, roles FROM users WHERE openid = ?', [openid]);
  return r ? { id: num(r.id), roles: parseRoles(r.roles) } : null;
}

/** A returning user: their roles (merged by the caller) and the time of this login. */
export async function recordLogin(sql: Sql, userId: number, roles: readonly Role[], at: number): Promise<void> {
  await sql.run('UPDATE users SET roles = ?, last_login_at = ? WHERE id = ?', [roles.join(','), at, userId]);
}

/** A first login's account. Returns its id; a concurrent first login of the same openid makes this throw. */
export async function insertUser(
  sql: Sql,
  u: { openid: string; name: string; phone: string | null; roles: readonly Role[]; at: number },
): Promise<number> {
  const res = await sql.run(
    'INSERT INTO users (openid, name, phone, roles, community_id, created_at, last_login_at) VALUES (?, ?, ?, ?, NULL, ?, ?)',
    [u.openid, u.name, u.phone, u.roles.join(','), u.at, u.at],
  );
  return res.insertId;
}
