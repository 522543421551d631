import { DialectMigration } from './dialect-migration';

/**
 * The staff history filtered by helper, building, compound or category: an index each, in the
 * history's order (status, then newest first) and carrying the tier (and category) so the bounded
 * count reads index entries only. Before them such a filter read whole status ranges row by row:
 * 4.5 s for one building and one category over 1,100,000 errands (docs/performance.md).
 */
export class Migration20261130080000_history_filters extends DialectMigration {
  override async up(): Promise<void> {
    this.ddl({
      mysql: [
        'alter table `errands` add index `errands_history_helper_index`(`community_id`, `helper_id`, `status`, `created_at`, `id`, `sla_tier`, `category`), add index `errands_history_building_index`(`community_id`, `building_id`, `status`, `created_at`, `id`, `sla_tier`, `category`), add index `errands_history_compound_index`(`community_id`, `compound_id`, `status`, `created_at`, `id`, `sla_tier`, `category`), add index `errands_history_category_index`(`community_id`, `category`, `status`, `created_at`, `id`, `sla_tier`);',
      ],
      sqlite: [
        'create index `errands_history_helper_index` on `errands` (`community_id`, `helper_id`, `status`, `created_at`, `id`, `sla_tier`, `category`);',
        'create index `errands_history_building_index` on `errands` (`community_id`, `building_id`, `status`, `created_at`, `id`, `sla_tier`, `category`);',
        'create index `errands_history_compound_index` on `errands` (`community_id`, `compound_id`, `status`, `created_at`, `id`, `sla_tier`, `category`);',
        'create index `errands_history_category_index` on `errands` (`community_id`, `category`, `status`, `created_at`, `id`, `sla_tier`);',
      ],
    });
  }
}
