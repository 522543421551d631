import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ENV_KEYS } from './config/env-keys';
import { ConfigSchema, PRESETS, type Preset } from './config/schema';

/** The one place configuration is read: preset files in /config, then environment overrides. */
const CONFIG_DIR = path.resolve(__dirname, '../../../config');

const ENGLISH_ISSUES = z.locales.en().localeError;
export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Tree = Record<string, unknown>;

function merge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' ? merge(b as Tree, v as Tree) : v;
  }
  return out;
}

function setPath(tree: Tree, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = tree;
  for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Tree;
  node[keys[keys.length - 1]!] = value;
}

function readPreset(name: string): Tree {
  const file = path.join(CONFIG_DIR, `${name}.json`);
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, 'utf8')) as Tree;
}

function parseBoolean(envName: string, raw: string): boolean {
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`Invalid configuration: ${envName}=${JSON.stringify(raw)} must be true or false`);
}

/** "false" (or "off", "no", "0") is false; anything else a comma-separated list. */
function parseList(raw: string): string[] | false {
  if (/^(0|false|no|off)$/i.test(raw.trim())) return false;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * What start-up must shout when this is not a real deployment: dev login lets anyone in as any
 * role, staff included, and the default preset seeds made-up households.
 */
export function demoModeWarning(c: Config): string | null {
  if (!c.auth.devLogin && c.preset !== 'default') return null;
  const parts = [
    `DEMO MODE (preset ${c.preset}): not for real households.`,
    c.auth.devLogin ? 'Dev login is ON: anyone who reaches this server can log in as any resident, helper or STAFF member.' : null,
    c.seed.demoCommunity ? 'Demo data is seeded.' : null,
    'For a deployment set LINLI_CONFIG=production.',
  ];
  return parts.filter(Boolean).join(' ');
}

function choosePreset(env: NodeJS.ProcessEnv): Preset {
  const named = env.LINLI_CONFIG ?? (env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'default');
  if (!(PRESETS as readonly string[]).includes(named)) {
    throw new ConfigError(`Invalid configuration: LINLI_CONFIG=${named} is not one of ${PRESETS.join(', ')}`);
  }
  return named as Preset;
}

/**
 * Builds the configuration from the default preset, the chosen preset, environment variables and
 * (for tests) explicit overrides, and validates it. A bad value throws a ConfigError naming the key.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Tree = {}): Config {
  const preset = choosePreset(env);
  let tree = merge(readPreset('default'), preset === 'default' ? {} : readPreset(preset));
  const fromEnv: Record<string, string> = {};
  for (const [name, { key, type }] of Object.entries(ENV_KEYS)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    setPath(tree, key, type === 'boolean' ? parseBoolean(name, raw) : type === 'list' ? parseList(raw) : raw);
    fromEnv[key] = name;
  }
  tree = merge(tree, overrides);
  tree.preset = preset;
  // Operators read these beside English keys: zod's English words, not the plain Chinese fallback
  // @linli/contracts installs for people filling forms.
  const result = ConfigSchema.safeParse(tree, { error: ENGLISH_ISSUES });
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const key = i.path.join('.');
      const source = fromEnv[key] ? ` (from ${fromEnv[key]})` : '';
      return `  ${key}${source}: ${i.message}`;
    });
    throw new ConfigError(`Invalid configuration (preset ${preset}):\n${lines.join('\n')}`);
  }
  return result.data;
}
