import { DialectMigration } from './dialect-migration';

/** Closed errands remember when their personal details were removed. */
export class Migration20261128230000_retention extends DialectMigration {
  override async up(): Promise<void> {
    this.ddl({
      mysql: ['alter table `errands` add `minimised_at` bigint null;'],
      sqlite: ['alter table `errands` add column `minimised_at` bigint null;'],
    });
  }

  override async down(): Promise<void> {
    this.ddl({
      mysql: ['alter table `errands` drop column `minimised_at`;'],
      sqlite: ['alter table `errands` drop column `minimised_at`;'],
    });
  }
}
