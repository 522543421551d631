/**
 * Requests generated from JSON Schema (the OpenAPI document's), valid-ish or deliberately broken,
 * from a seeded generator so a failing run can be replayed with the seed it prints.
 */

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean | number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  nullable?: boolean;
  default?: unknown;
}

/** mulberry32: small, fast, good enough to pick cases reproducibly. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Property names whose valid values are ids of real records: the generator takes them from here. */
export type Hints = Record<string, () => unknown>;

const JUNK_STRINGS = [
  '',
  ' ',
  '\u0000',
  '💧🚰'.repeat(20),
  '\u202e\u200b\ufeff',
  "'; DROP TABLE errands; --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00%ff',
  '\ud800',
  '１２３４',
  'null',
  '9'.repeat(40),
];

const PATTERN_CANDIDATES = [
  '1234',
  '0000',
  '13812345678',
  '15900001111',
  'fuzz-key-0001',
  'AAAAAAAAAAAAAAAAAAAAAA',
  'fuzz_openid',
  '2026-11-29T08:00:00.000Z',
  '2026-11-29T10:00:00+08:00',
];

function stringFor(s: JsonSchema, rng: Rng): string {
  if (s.pattern) {
    const re = new RegExp(s.pattern);
    const fits = PATTERN_CANDIDATES.filter((c) => re.test(c));
    if (fits.length > 0) {
      const base = rng.pick(fits);
      // Keys and openids must vary between requests, or every create would replay the first.
      return /^[A-Za-z0-9_.:-]{8,100}$/.test(base) && base.startsWith('fuzz') ? `${base}-${rng.int(0, 1e9)}` : base;
    }
  }
  if (s.format === 'date-time') return new Date(Date.UTC(2026, 10, 29, rng.int(0, 23))).toISOString();
  const min = s.minLength ?? 0;
  const max = Math.min(s.maxLength ?? 12, min + 12);
  const len = rng.int(Math.max(min, 1), Math.max(max, 1));
  const alphabet = '桶装水大米白菜药快递楼单元abcXYZ0123456789';
  let out = '';
  for (let i = 0; i < len; i++) out += alphabet[rng.int(0, alphabet.length - 1)];
  return out;
}

function numberFor(s: JsonSchema, rng: Rng, integer: boolean): number {
  const lo = s.minimum !== undefined ? s.minimum + (s.exclusiveMinimum === true ? 1 : 0) : -5;
  const hi = s.maximum !== undefined ? Math.min(s.maximum, lo + 200) : lo + 200;
  const n = lo + rng.next() * (hi - lo);
  return integer ? Math.round(Math.min(Math.max(n, lo), hi)) : n;
}

/** A value the schema accepts, as far as this small generator understands schemas. */
export function validValue(s: JsonSchema, rng: Rng, hints: Hints = {}, name = ''): unknown {
  if (name && hints[name] && rng.chance(0.85)) return hints[name]!();
  if (s.const !== undefined) return s.const;
  if (s.enum) return rng.pick(s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return validValue(rng.pick(alternatives.filter((a) => a.type !== 'null').concat(alternatives)), rng, hints, name);
  if (s.allOf) return Object.assign({}, ...s.allOf.map((a) => validValue(a, rng, hints, name)));
  const type = Array.isArray(s.type) ? rng.pick(s.type) : s.type;
  switch (type) {
    case 'null':
      return null;
    case 'boolean':
      return rng.chance(0.5);
    case 'integer':
      return numberFor(s, rng, true);
    case 'number':
      return numberFor(s, rng, false);
    case 'string':
      return stringFor(s, rng);
    case 'array': {
      const n = rng.int(s.minItems ?? 0, Math.min(s.maxItems ?? 3, (s.minItems ?? 0) + 3));
      return Array.from({ length: n }, () => validValue(s.items ?? {}, rng, hints));
    }
    case 'object':
    default: {
      if (!s.properties) return {};
      const out: Record<string, unknown> = {};
      for (const [key, prop] of Object.entries(s.properties)) {
        if (s.required?.includes(key) || rng.chance(0.5)) out[key] = validValue(prop, rng, hints, key);
      }
      return out;
    }
  }
}

const WRONG_TYPES: unknown[] = [null, true, 0, -1, 1.5, '', 'x', [], {}, [1, 2], { a: 1 }, 1e308, -2147483649, '1e3'];

/** A value that breaks the schema somewhere: a wrong type, a missing or extra field, junk or an extreme. */
export function mutatedValue(s: JsonSchema, rng: Rng, hints: Hints = {}): unknown {
  const valid = validValue(s, rng, hints);
  const roll = rng.int(0, 6);
  if (roll === 0) return rng.pick(WRONG_TYPES);
  if (valid === null || typeof valid !== 'object' || Array.isArray(valid)) {
    if (roll <= 2) return rng.pick(JUNK_STRINGS);
    if (roll === 3) return 'x'.repeat(rng.pick([201, 5000, 70_000]));
    return typeof valid === 'number' ? -valid - 1 : rng.pick(WRONG_TYPES);
  }
  const obj = { ...(valid as Record<string, unknown>) };
  const keys = Object.keys(s.properties ?? {});
  const key = keys.length ? rng.pick(keys) : 'x';
  switch (roll) {
    case 1:
      delete obj[key];
      return obj;
    case 2:
      obj[key] = rng.pick(WRONG_TYPES);
      return obj;
    case 3:
      obj[key] = rng.pick(JUNK_STRINGS);
      return obj;
    case 4:
      obj[key] = 'x'.repeat(rng.pick([201, 5000, 70_000]));
      return obj;
    case 5:
      obj[key] = s.properties?.[key] ? mutatedValue(s.properties[key]!, rng, hints) : -1;
      return obj;
    default:
      return { ...obj, constructor: { prototype: { polluted: true } }, extra: 'field', [`${key}2`]: 1 };
  }
}

export const JUNK_IDS = [
  '0',
  '-1',
  'abc',
  'A'.repeat(22),
  'A'.repeat(21),
  '9'.repeat(30),
  '%00',
  '%E4%B8%AD',
  '..%2F..',
  '1.5',
  'null',
  '💧',
];
