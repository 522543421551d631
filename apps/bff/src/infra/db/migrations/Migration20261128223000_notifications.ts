import { DialectMigration } from './dialect-migration';

/** WeChat subscribe messages to send, and the access token every instance shares. */
export class Migration20261128223000_notifications extends DialectMigration {
  override async up(): Promise<void> {
    this.ddl({
      mysql: [
        "create table `notifications` (`id` bigint unsigned not null auto_increment primary key, `event_seq` bigint not null, `kind` enum('offer_created', 'errand_accepted', 'errand_delivered') not null, `community_id` int not null, `user_id` int not null, `openid` varchar(64) not null, `errand_id` bigint not null, `template_id` varchar(128) not null, `page` varchar(200) not null, `data_json` text not null, `status` enum('pending', 'sent', 'refused', 'failed', 'obsolete') not null, `attempts` int not null default 0, `next_attempt_at` bigint not null, `last_error` varchar(200) null, `created_at` bigint not null, `sent_at` bigint null) default character set utf8mb4 engine = InnoDB;",
        'alter table `notifications` add unique `notifications_event_seq_unique`(`event_seq`);',
        'alter table `notifications` add index `notifications_status_next_attempt_at_index`(`status`, `next_attempt_at`);',
        'alter table `notifications` add index `notifications_errand_id_index`(`errand_id`);',
        'create table `wechat_access_tokens` (`app_id` varchar(64) not null, `access_token` varchar(512) not null, `expires_at` bigint not null, `refreshed_at` bigint not null, primary key (`app_id`)) default character set utf8mb4 engine = InnoDB;',
      ],
      sqlite: [
        "create table `notifications` (`id` integer not null primary key autoincrement, `event_seq` bigint not null, `kind` text check (`kind` in ('offer_created', 'errand_accepted', 'errand_delivered')) not null, `community_id` integer not null, `user_id` integer not null, `openid` text not null, `errand_id` bigint not null, `template_id` text not null, `page` text not null, `data_json` text not null, `status` text check (`status` in ('pending', 'sent', 'refused', 'failed', 'obsolete')) not null, `attempts` integer not null default 0, `next_attempt_at` bigint not null, `last_error` text null, `created_at` bigint not null, `sent_at` bigint null);",
        'create unique index `notifications_event_seq_unique` on `notifications` (`event_seq`);',
        'create index `notifications_status_next_attempt_at_index` on `notifications` (`status`, `next_attempt_at`);',
        'create index `notifications_errand_id_index` on `notifications` (`errand_id`);',
        'create table `wechat_access_tokens` (`app_id` text not null, `access_token` text not null, `expires_at` bigint not null, `refreshed_at` bigint not null, primary key (`app_id`));',
      ],
    });
  }

  override async down(): Promise<void> {
    this.ddl({
      mysql: ['drop table if exists `notifications`;', 'drop table if exists `wechat_access_tokens`;'],
      sqlite: ['drop table if exists `notifications`;', 'drop table if exists `wechat_access_tokens`;'],
    });
  }
}
