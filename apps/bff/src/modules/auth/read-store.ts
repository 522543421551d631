import { num, type Sql } from '../../infra/db/database';

// Reads of auth tables that other modules need (the owner's read functions).

export interface UserContact {
  openid: string;
  name: string;
}

/** Each user's WeChat openid and display name, by id (absent users are left out). */
export async function userContacts(sql: Sql, userIds: number[]): Promise<Map<number, UserContact>> {
  if (userIds.length === 0) return new Map();
  const rows = await sql.all(`SELECT id, openid, name FROM users WHERE id IN (${userIds.map(() => '?').join(', ')})`, userIds);
  return new Map(rows.map((r) => [num(r.id), { openid: String(r.openid), name: String(r.name) }]));
}
