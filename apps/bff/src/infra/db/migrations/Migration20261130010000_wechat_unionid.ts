import { DialectMigration } from './dialect-migration';

/**
 * The person's WeChat unionid (one per person across the mini-program and the desk console's
 * website app of one open-platform account): the console's QR login finds staff by it. Nullable,
 * as WeChat sends it only once both apps are bound to that account.
 */
export class Migration20261130010000_wechat_unionid extends DialectMigration {
  override async up(): Promise<void> {
    this.ddl({
      mysql: [
        'alter table `users` add `wechat_unionid` varchar(64) collate utf8mb4_bin null, add unique `users_wechat_unionid_unique`(`wechat_unionid`);',
      ],
      sqlite: [
        'alter table `users` add column `wechat_unionid` text null;',
        'create unique index `users_wechat_unionid_unique` on `users` (`wechat_unionid`);',
      ],
    });
  }
}
