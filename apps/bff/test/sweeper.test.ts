import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/infra/db/orm';
import type { Database } from '../src/infra/db/database';
import { scheduleDeadline, type Deadline } from '../src/modules/dispatch/deadline-store';
import { DeadlineSweeper } from '../src/modules/dispatch/deadlines';
import { createMysqlDatabase, type TestDatabase } from './support/databases';

const silent = pino({ level: 'silent' });

describe('deadline sweepers (MySQL)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createMysqlDatabase('sweeper');
  });
  afterAll(() => database.drop());

  it('two sweepers running at once never handle one deadline twice', async () => {
    const config = loadConfig({ LINLI_CONFIG: 'test' }, { db: { url: database.url, poolMax: 5 } });
    const [a, b] = [await openDatabase(config), await openDatabase(config)];
    try {
      const now = Date.now();
      for (let i = 0; i < 200; i++) {
        await scheduleDeadline(
          a,
          { kind: 'round_end', errandId: 1000 + i, communityId: 1, round: 1, priority: i % 7, dueAt: now - 1 },
          now,
        );
      }
      const seen: { by: string; id: number }[] = [];
      const handler = (by: string) => async (_tx: unknown, d: Deadline) => {
        seen.push({ by, id: d.id });
        await new Promise((r) => setTimeout(r, 2)); // hold the row lock a moment, as real work does
      };
      const sweeperA = new DeadlineSweeper(a, handler('a'), { batch: 1000, now: () => now, log: silent });
      const sweeperB = new DeadlineSweeper(b, handler('b'), { batch: 1000, now: () => now, log: silent });
      const [countA, countB] = await Promise.all([sweeperA.runOnce(), sweeperB.runOnce()]);
      expect(countA + countB).toBe(200);
      expect(new Set(seen.map((s) => s.id)).size).toBe(200);
      expect(seen).toHaveLength(200);
      // Both really took part.
      expect(countA).toBeGreaterThan(20);
      expect(countB).toBeGreaterThan(20);
      expect(await a.all('SELECT id FROM deadlines')).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('handles the most pressing due deadline first and leaves future ones', async () => {
    const config = loadConfig({ LINLI_CONFIG: 'test' }, { db: { url: database.url } });
    const db: Database = await openDatabase(config);
    try {
      const now = Date.now();
      await scheduleDeadline(db, { kind: 'dispatch_retry', errandId: 1, communityId: 1, round: 1, priority: 0, dueAt: now - 5000 }, now);
      await scheduleDeadline(db, { kind: 'dispatch_retry', errandId: 2, communityId: 1, round: 1, priority: 650, dueAt: now - 10 }, now);
      await scheduleDeadline(
        db,
        { kind: 'dispatch_retry', errandId: 3, communityId: 1, round: 1, priority: 999, dueAt: now + 60_000 },
        now,
      );
      const order: number[] = [];
      const sweeper = new DeadlineSweeper(db, async (_tx, d) => void order.push(d.errandId), {
        batch: 10,

        now: () => now,
        log: silent,
      });
      expect(await sweeper.runOnce()).toBe(2);
      expect(order).toEqual([2, 1]);
      expect((await db.all<{ errand_id: unknown }>('SELECT errand_id FROM deadlines')).map((r) => Number(r.errand_id))).toEqual([3]);
      await db.run('DELETE FROM deadlines');
    } finally {
      await db.close();
    }
  });

  it('postpones a failing deadline instead of losing it or blocking the rest', async () => {
    const config = loadConfig({ LINLI_CONFIG: 'test' }, { db: { url: database.url } });
    const db = await openDatabase(config);
    try {
      const now = Date.now();
      await scheduleDeadline(db, { kind: 'auto_confirm', errandId: 7, communityId: 1, round: 0, priority: 5, dueAt: now - 1 }, now);
      const sweeper = new DeadlineSweeper(
        db,
        async () => {
          throw new Error('boom');
        },
        { batch: 10, now: () => now, log: silent },
      );
      expect(await sweeper.runOnce()).toBe(0);
      const [row] = await db.all<{ due_at: unknown }>('SELECT due_at FROM deadlines WHERE errand_id = 7');
      expect(Number(row!.due_at)).toBeGreaterThan(now);
      await db.run('DELETE FROM deadlines');
    } finally {
      await db.close();
    }
  });

  it('works through every due deadline in one pass, a batch at a time, without waiting an interval between batches', async () => {
    const config = loadConfig({ LINLI_CONFIG: 'test' }, { db: { url: database.url } });
    const db = await openDatabase(config);
    try {
      const now = Date.now();
      for (let i = 0; i < 95; i++) {
        await scheduleDeadline(
          db,
          { kind: 'dispatch_retry', errandId: 5000 + i, communityId: 1, round: 1, priority: 0, dueAt: now - 1 },
          now,
        );
      }
      const seen: number[] = [];
      const sweeper = new DeadlineSweeper(db, async (_tx, d) => void seen.push(d.errandId), {
        batch: 10,
        now: () => now,
        log: silent,
      });
      expect(await sweeper.runOnce()).toBe(95);
      expect(new Set(seen).size).toBe(95);
      expect(await db.all('SELECT id FROM deadlines')).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('handles the rest of a batch when one deadline in it fails, and postpones only that one', async () => {
    const config = loadConfig({ LINLI_CONFIG: 'test' }, { db: { url: database.url } });
    const db = await openDatabase(config);
    try {
      const now = Date.now();
      for (let i = 0; i < 60; i++) {
        await scheduleDeadline(db, { kind: 'round_end', errandId: 8000 + i, communityId: 1, round: 1, priority: 1, dueAt: now - 1 }, now);
      }
      const handled: number[] = [];
      const sweeper = new DeadlineSweeper(
        db,
        async (tx, d) => {
          // Writes in the handler's transaction: a failure elsewhere in its batch must not lose or repeat them.
          await tx.run('UPDATE deadlines SET priority = priority + 1 WHERE id = ?', [d.id]);
          if (d.errandId === 8025) throw new Error('boom');
          handled.push(d.errandId);
        },
        { batch: 100, now: () => now, log: silent },
      );
      expect(await sweeper.runOnce()).toBe(59);
      const left = await db.all<{ errand_id: unknown; due_at: unknown; priority: unknown }>(
        'SELECT errand_id, due_at, priority FROM deadlines',
      );
      expect(left.map((r) => Number(r.errand_id))).toEqual([8025]);
      expect(Number(left[0]!.due_at)).toBeGreaterThan(now);
      expect(Number(left[0]!.priority)).toBe(1);
      expect(new Set(handled).size).toBe(59);
      await db.run('DELETE FROM deadlines');
    } finally {
      await db.close();
    }
  });

  it('loses no deadline across a restart: another instance ends the round', async () => {
    const config = loadConfig(
      { LINLI_CONFIG: 'test' },
      { db: { url: database.url }, dispatch: { offersPerRound: 5, offerWindowSeconds: 60, rounds: 1 } },
    );
    let clock = Date.now();
    const first: FastifyInstance = await buildApp({ config, now: () => clock });
    const login = async (app: FastifyInstance, openid: string, role: string) =>
      (await app.inject({ method: 'POST', url: '/api/v1/auth/dev', payload: { openid, role } })).json().token as string;
    await first.linli.db.run('UPDATE helpers SET on_duty = 0');
    await login(first, 'restart-helper', 'helper');
    const resident = await login(first, 'restart-resident', 'resident');
    const created = await first.inject({
      method: 'POST',
      url: '/api/v1/errands',
      headers: { authorization: `Bearer ${resident}`, 'idempotency-key': 'restart-0001' },
      payload: { category: 'parcel', items: [{ name: '快递', quantity: 1 }] },
    });
    expect(created.json().status).toBe('offered');
    await first.close(); // the instance dies before the offer window ends

    clock += 61_000;
    const second = await buildApp({ config, now: () => clock });
    try {
      expect(await second.linli.sweeper.runOnce()).toBe(1);
      const [row] = await second.linli.db.all<{ status: string }>('SELECT status FROM errands WHERE public_id = ?', [created.json().id]);
      expect(row!.status).toBe('escalated');
    } finally {
      await second.close();
    }
  });
});
