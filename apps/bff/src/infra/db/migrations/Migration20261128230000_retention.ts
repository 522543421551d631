import { Migration } from '@mikro-orm/migrations';

/** Closed errands remember when their personal details were removed. */
export class Migration20261128230000_retention extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table `errands` add `minimised_at` bigint null;');
  }

  override async down(): Promise<void> {
    this.addSql('alter table `errands` drop column `minimised_at`;');
  }
}
