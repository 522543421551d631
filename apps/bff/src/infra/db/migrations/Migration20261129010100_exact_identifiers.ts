import { DialectMigration } from './dialect-migration';

/**
 * Identifiers and keys that come from user input are compared byte for byte, as SQLite already
 * does: under utf8mb4's default collation a lower-cased errand id found the errand and an
 * upper-cased Idempotency-Key replayed another request.
 */
export class Migration20261129010100_exact_identifiers extends DialectMigration {
  override async up(): Promise<void> {
    this.ddl({
      mysql: [
        'alter table `errands` modify `public_id` varchar(22) collate utf8mb4_bin not null;',
        'alter table `idempotency_keys` modify `idem_key` varchar(100) collate utf8mb4_bin not null;',
        'alter table `sessions` modify `token_hash` varchar(64) collate utf8mb4_bin not null;',
        'alter table `users` modify `openid` varchar(64) collate utf8mb4_bin not null;',
      ],
      sqlite: [] /* SQLite already compares byte for byte */,
    });
  }

  override async down(): Promise<void> {
    this.ddl({
      mysql: [
        'alter table `errands` modify `public_id` varchar(22) not null;',
        'alter table `idempotency_keys` modify `idem_key` varchar(100) not null;',
        'alter table `sessions` modify `token_hash` varchar(64) not null;',
        'alter table `users` modify `openid` varchar(64) not null;',
      ],
      sqlite: [] /* SQLite already compares byte for byte */,
    });
  }
}
