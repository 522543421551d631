import { DialectMigration } from './dialect-migration';

/**
 * Lists in and out (brief §9): validated import batches waiting for commit, and an index that lets
 * exports walk a community's errands by creation time in keyset pages.
 */
export class Migration20261129120000_lists extends DialectMigration {
  override async up(): Promise<void> {
    this.ddl({
      mysql: [
        'create table `import_batches` (`id` bigint unsigned not null auto_increment primary key, `community_id` int not null, `kind` varchar(20) not null, `status` varchar(20) not null, `file_name` varchar(100) not null, `valid_count` int not null, `invalid_count` int not null, `report_json` text not null, `created_by` int not null, `created_at` bigint not null, `expires_at` bigint not null, `committed_at` bigint null) default character set utf8mb4 engine = InnoDB;',
        'alter table `import_batches` add index `import_batches_community_id_created_at_index`(`community_id`, `created_at`);',
        'create table `import_batch_rows` (`batch_id` bigint unsigned not null, `row_no` int unsigned not null, `data_json` text not null, primary key (`batch_id`, `row_no`)) default character set utf8mb4 engine = InnoDB;',
        'alter table `errands` add index `errands_export_index`(`community_id`, `created_at`, `id`);',
      ],
      sqlite: [
        'create table `import_batches` (`id` integer not null primary key autoincrement, `community_id` integer not null, `kind` text not null, `status` text not null, `file_name` text not null, `valid_count` integer not null, `invalid_count` integer not null, `report_json` text not null, `created_by` integer not null, `created_at` bigint not null, `expires_at` bigint not null, `committed_at` bigint null);',
        'create index `import_batches_community_id_created_at_index` on `import_batches` (`community_id`, `created_at`);',
        'create table `import_batch_rows` (`batch_id` bigint not null, `row_no` integer not null, `data_json` text not null, primary key (`batch_id`, `row_no`));',
        'create index `errands_export_index` on `errands` (`community_id`, `created_at`, `id`);',
      ],
    });
  }

  override async down(): Promise<void> {
    this.ddl({
      mysql: [
        'alter table `errands` drop index `errands_export_index`;',
        'drop table if exists `import_batch_rows`;',
        'drop table if exists `import_batches`;',
      ],
      sqlite: [
        'drop index if exists `errands_export_index`;',
        'drop table if exists `import_batch_rows`;',
        'drop table if exists `import_batches`;',
      ],
    });
  }
}
