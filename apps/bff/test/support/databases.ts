import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { TEST_MYSQL_URL } from './env';
import { deleteKeysWithPrefix } from './redis-keys';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A fresh MySQL database for one test file; `drop()` removes it, and the Redis keys of apps that
 * used the matching prefix (`linli:test:<name>:`), so runs leave nothing behind.
 */
export async function createMysqlDatabase(label: string): Promise<TestDatabase> {
  const name = `linli_t_${label.replace(/\W/g, '_').slice(0, 20)}_${randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection(TEST_MYSQL_URL);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  await admin.end();
  return {
    name,
    url: `${TEST_MYSQL_URL.replace(/\/$/, '')}/${name}`,
    async drop() {
      const conn = await mysql.createConnection(TEST_MYSQL_URL);
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
      await deleteKeysWithPrefix(`linli:test:${name}:`);
    },
  };
}
