import { defineEntity, p } from '@mikro-orm/core';

/**
 * An uploaded list, validated and waiting for staff to commit it (or left to expire). Rows live
 * in import_batch_rows, one small JSON each, so a 20,000-row file needs no large column.
 */
export const ImportBatch = defineEntity({
  name: 'ImportBatch',
  tableName: 'import_batches',
  indexes: [{ properties: ['communityId', 'createdAt'] }],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    communityId: p.integer(),
    kind: p.string().length(20),
    /** pending → committed, or discarded. */
    status: p.string().length(20),
    fileName: p.string().length(100),
    validCount: p.integer(),
    invalidCount: p.integer(),
    /** The report as returned at upload (errors capped), plus the commit's counts once committed. */
    reportJson: p.text(),
    createdBy: p.integer(),
    createdAt: p.bigint('number'),
    expiresAt: p.bigint('number'),
    committedAt: p.bigint('number').nullable(),
  },
});

/** One valid row of a batch, normalised (building resolved to its id). */
export const ImportBatchRow = defineEntity({
  name: 'ImportBatchRow',
  tableName: 'import_batch_rows',
  properties: {
    batchId: p.bigint('number').primary(),
    rowNo: p.integer().primary(),
    dataJson: p.text(),
  },
});
