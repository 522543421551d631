import { DialectMigration } from './dialect-migration';

/**
 * The relay finds unnumbered events with `seq IS NULL ORDER BY id LIMIT n`. Through the UNIQUE
 * index on `seq` MariaDB cannot read the NULL entries in id order, so it sorted all of them,
 * delete-marked entries awaiting purge included, on every pass: measured at 1–3 ms of wall time per
 * pass and growing with the load, against 0.3 ms steady through a plain index, whose entries are
 * ordered (seq, id). Numbers stay unique without the constraint: they are handed out under the
 * `event_sequence` row lock, and a pass that numbers fewer rows than it read rolls back whole.
 */
export class Migration20261130110000_outbox_seq_index extends DialectMigration {
  override async up(): Promise<void> {
    this.ddl({
      mysql: ['alter table `outbox_events` drop index `outbox_events_seq_unique`, add index `outbox_events_seq_index`(`seq`);'],
      sqlite: ['drop index `outbox_events_seq_unique`;', 'create index `outbox_events_seq_index` on `outbox_events` (`seq`);'],
    });
  }

  override async down(): Promise<void> {
    this.ddl({
      mysql: ['alter table `outbox_events` drop index `outbox_events_seq_index`, add unique `outbox_events_seq_unique`(`seq`);'],
      sqlite: ['drop index `outbox_events_seq_index`;', 'create unique index `outbox_events_seq_unique` on `outbox_events` (`seq`);'],
    });
  }
}
