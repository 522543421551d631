import { ROLES, type Role } from '@linli/contracts';
import { num, type Sql } from '../../infra/db/database';

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
export function parseRoles(raw: unknown): Role[] {
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
