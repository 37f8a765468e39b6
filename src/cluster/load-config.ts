/** Finds, reads and validates the configuration. The one place cosmiconfig is imported. */
import { basename, dirname, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { cosmiconfig, defaultLoaders } from 'cosmiconfig';
import type { LoaderSync } from 'cosmiconfig';
import { Errors, reasonOf } from '../protocol/errors.js';
import type { Issue } from '../protocol/errors.js';
import { badConfig, checkConfig, duplicateKeyIssues } from '../core/config.js';
import { duplicateKeys } from '../core/json.js';
import type { KvConfig, Settings } from '../core/config.js';

/** Where configuration is searched for, in order, from the start directory up to the project root. */
export const SEARCH_PLACES = ['kvrc.json', 'package.json', '.kvrc', '.kvrc.json', '.kvrc.yaml', '.kvrc.yml', '.kvrc.js', '.kvrc.mjs', '.kvrc.cjs', '.config/kvrc', '.config/kvrc.json', 'kv.config.js', 'kv.config.mjs', 'kv.config.cjs'];

/** A validated configuration and where it came from. */
export interface LoadedConfig {
  readonly settings: Settings;
  /** Lint warnings (bytes no table covers, bytes with an owner per entry node, ...). */
  readonly warnings: readonly string[];
  /** The file it was read from, if any. */
  readonly filepath: string | undefined;
}

/**
 * Loads the configuration: `config` as an object, or the file at path `config`, or the first
 * of `SEARCH_PLACES` found from `cwd` upwards (package.json: its "kv" key). Module paths are
 * resolved against the config file's folder (or `cwd`). Throws KV_ERR_BAD_CONFIG.
 */
export async function loadConfig(config: KvConfig | string | undefined, cwd: string = process.cwd(), prepare?: (input: unknown) => unknown): Promise<LoadedConfig> {
  const { loaded, loops } = await readConfig(config, cwd, prepare);
  if (loops.length > 0) throw badConfig(loops);
  return loaded;
}

/**
 * As loadConfig, but tables that loop are returned as `loops` (issues) rather than refused: for
 * `kvmesh check` to draw them, never to start. `prepare` sees the configuration as written before it is
 * checked (a plan fills in the owners of a ring claimed against the ring in force).
 */
export async function readConfig(config: KvConfig | string | undefined, cwd: string = process.cwd(), prepare?: (input: unknown) => unknown): Promise<{ loaded: LoadedConfig; loops: readonly Issue[] }> {
  let input: unknown = config;
  let filepath: string | undefined;
  const duplicates = new Map<string, Issue[]>();
  if (config === undefined || typeof config === 'string') {
    const explorer = cosmiconfig('kv', { searchPlaces: SEARCH_PLACES, searchStrategy: 'project', cache: false, loaders: jsonLoaders(duplicates) });
    let found;
    try {
      found = config === undefined ? await explorer.search(cwd) : await explorer.load(resolve(cwd, config));
    } catch (e) {
      throw Errors.badConfig(`cannot read configuration ${config === undefined ? `found from ${cwd}` : JSON.stringify(config)}: ${reasonOf(e)}`);
    }
    if (found === null || found.isEmpty === true) {
      throw Errors.badConfig(config === undefined ? `no configuration found from ${cwd} up to the project root (looked for ${SEARCH_PLACES.join(', ')}; package.json: key "kv")` : `configuration file ${config} is empty`);
    }
    input = found.config;
    filepath = found.filepath;
  }
  if (prepare !== undefined) input = prepare(input);
  const { settings, warnings, loops } = checkConfig(input, (filepath === undefined ? undefined : duplicates.get(filepath)) ?? []);
  const base = filepath === undefined ? cwd : dirname(filepath);
  const modules = settings.modules.map((m) => ({ ...m, path: resolve(base, m.path) }));
  return { loaded: { settings: { ...settings, modules }, warnings, filepath }, loops };
}

/**
 * Loaders for JSON files (and JSON in the extension-less `.kvrc`) that record, per file, the
 * keys the text repeats, which JSON.parse would silently drop. YAML refuses them by itself.
 */
function jsonLoaders(duplicates: Map<string, Issue[]>): { '.json': LoaderSync; noExt: LoaderSync } {
  const json: LoaderSync = (filepath, content) => {
    let value: unknown;
    try {
      value = defaultLoaders['.json'](filepath, content);
    } catch (e) {
      throw jsonError(filepath, content, e);
    }
    let found = duplicateKeys(content);
    // Only the "kv" key of package.json is configuration.
    if (basename(filepath) === 'package.json') found = found.filter((d) => d.path[0] === 'kv').map((d) => ({ ...d, path: d.path.slice(1) }));
    duplicates.set(filepath, duplicateKeyIssues(found));
    return value;
  };
  const isJson = (content: string): boolean => {
    try {
      JSON.parse(content);
      return true;
    } catch {
      return false;
    }
  };
  // eslint-disable-next-line @typescript-eslint/no-unsafe-return -- cosmiconfig's loaders are typed to return any
  return { '.json': json, noExt: (filepath, content) => (isJson(content) ? json(filepath, content) : defaultLoaders.noExt(filepath, content)) };
}

/**
 * A JSON syntax error with its line, column and code frame once: cosmiconfig prefixes parse-json's
 * message by assigning it, and parse-json's error appends its frame to whatever it is assigned.
 */
export function jsonError(filepath: string, content: string, error: unknown): Error {
  let reason = String(error);
  try {
    JSON.parse(content);
  } catch (e) {
    reason = (e as Error).message;
  }
  const at = /at position (\d+)/.exec(reason)?.[1];
  const position = at !== undefined ? Number(at) : reason.startsWith('Unexpected end of JSON input') ? content.length : undefined;
  const lines = position === undefined ? undefined : content.slice(0, position).split('\n');
  const where = lines === undefined ? '' : ` (line ${lines.length}, column ${(lines.at(-1)?.length ?? 0) + 1})`;
  const frame = (error as { codeFrame?: unknown }).codeFrame;
  // The frame is coloured when the environment looks like a colour terminal (CI=true does): an error message stays plain text.
  return new Error(`invalid JSON in ${filepath}: ${reason}${where}${typeof frame === 'string' ? `\n\n${stripVTControlCharacters(frame)}` : ''}`);
}
