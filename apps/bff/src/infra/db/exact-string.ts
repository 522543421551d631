import { StringType, type EntityProperty, type Platform } from '@mikro-orm/core';
import { MySqlPlatform } from '@mikro-orm/mysql';

/**
 * A string compared byte for byte: identifiers and keys that come from user input (public ids,
 * Idempotency-Keys, openids, token hashes). MySQL's default utf8mb4 collation ignores case, so
 * "AbC" would find "abc" there but not on SQLite, which compares exactly already.
 */
export class ExactString extends StringType {
  override getColumnType(prop: EntityProperty, platform: Platform): string {
    const varchar = super.getColumnType(prop, platform);
    return platform instanceof MySqlPlatform ? `${varchar} collate utf8mb4_bin` : varchar;
  }
}
