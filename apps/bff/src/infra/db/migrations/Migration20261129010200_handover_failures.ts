import { DialectMigration } from './dialect-migration';

/** Wrong handover codes tried per errand: past the limit code entry stops and staff confirm delivery. */
export class Migration20261129010200_handover_failures extends DialectMigration {
  override async up(): Promise<void> {
    this.ddl({
      mysql: ['alter table `errands` add `handover_failures` int not null default 0;'],
      sqlite: ['alter table `errands` add column `handover_failures` integer not null default 0;'],
    });
  }

  override async down(): Promise<void> {
    this.ddl({
      mysql: ['alter table `errands` drop column `handover_failures`;'],
      sqlite: ['alter table `errands` drop column `handover_failures`;'],
    });
  }
}
