import { Migration } from '@mikro-orm/migrations';

/** Wrong handover codes tried per errand: past the limit code entry stops and staff confirm delivery. */
export class Migration20261129010200_handover_failures extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table `errands` add `handover_failures` int not null default 0;');
  }

  override async down(): Promise<void> {
    this.addSql('alter table `errands` drop column `handover_failures`;');
  }
}
