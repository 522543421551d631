import { num, type Sql } from '../../infra/db/database';

// Reads of auth tables that other modules need (the owner's read functions).

export interface MessageRecipient {
  openid: string;
  name: string;
}

/** Whom a WeChat message reaches: each user's openid and display name, by id (absent users are left out). */
export async function messageRecipients(sql: Sql, userIds: number[]): Promise<Map<number, MessageRecipient>> {
  if (userIds.length === 0) return new Map();
  const rows = await sql.all(`SELECT id, openid, name FROM users WHERE id IN (${userIds.map(() => '?').join(', ')})`, userIds);
  return new Map(rows.map((r) => [num(r.id), { openid: String(r.openid), name: String(r.name) }]));
}
