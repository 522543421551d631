import { DialectMigration } from './dialect-migration';

/** Total time on duty, for the helper's service record. */
export class Migration20261128202037_duty_total extends DialectMigration {
  override async up(): Promise<void> {
    this.ddl({
      mysql: ['alter table `helpers` add `duty_minutes_total` int not null default 0;'],
      sqlite: ['alter table `helpers` add column `duty_minutes_total` integer not null default 0;'],
    });
  }

  override async down(): Promise<void> {
    this.ddl({
      mysql: ['alter table `helpers` drop column `duty_minutes_total`;'],
      sqlite: ['alter table `helpers` drop column `duty_minutes_total`;'],
    });
  }
}
