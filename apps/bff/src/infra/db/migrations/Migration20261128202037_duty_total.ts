import { Migration } from '@mikro-orm/migrations';

/** Total time on duty, for the helper's service record. */
export class Migration20261128202037_duty_total extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table `helpers` add `duty_minutes_total` int not null default 0;');
  }

  override async down(): Promise<void> {
    this.addSql('alter table `helpers` drop column `duty_minutes_total`;');
  }
}
