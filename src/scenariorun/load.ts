/**
 * Reading a scenario: the JSON file (repeated keys and syntax errors named with their place),
 * its validation, its config (a path relative to the scenario file, or inline), and the node
 * names it uses checked against that config: every issue in one KV_ERR_BAD_CONFIG.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Errors, KvError, reasonOf } from '../protocol/errors.js';
import type { Issue } from '../protocol/errors.js';
import { badConfig, duplicateKeyIssues } from '../core/config.js';
import type { KvConfig } from '../core/config.js';
import { duplicateKeys } from '../core/json.js';
import { jsonError, loadConfig } from '../cluster/load-config.js';
import type { LoadedConfig } from '../cluster/load-config.js';
import { namesIssues, validateScenario } from '../scenario/validate.js';
import type { Scenario, ScenarioSpec } from '../scenario/spec.js';

/** A scenario ready to run. */
export interface LoadedScenario {
  readonly scenario: Scenario;
  /** The scenario file, if it came from one. */
  readonly file: string | undefined;
  /** Its config, loaded and validated. */
  readonly loaded: LoadedConfig;
  /** The config as `simulate`/`startCluster` take it: an object, or an absolute path. */
  readonly config: KvConfig | string;
}

/** The scenario file's contents, as JSON, with the keys it repeats as issues. Throws KV_ERR_BAD_CONFIG if it cannot be read or parsed. */
function readJson(file: string): { value: unknown; found: Issue[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw Errors.badConfig(`cannot read scenario ${JSON.stringify(file)}: ${reasonOf(e)}`);
  }
  try {
    return { value: JSON.parse(text) as unknown, found: duplicateKeyIssues(duplicateKeys(text)) };
  } catch (e) {
    throw Errors.badConfig(jsonError(file, text, e).message);
  }
}

/** Loads `input` (a scenario file's path, or a scenario object) and everything it names; `cwd`: where relative paths start. */
export async function loadScenario(input: string | ScenarioSpec, cwd: string = process.cwd()): Promise<LoadedScenario> {
  const file = typeof input === 'string' ? resolve(cwd, input) : undefined;
  const { value, found } = file === undefined ? { value: input as unknown, found: [] } : readJson(file);
  let scenario: Scenario;
  try {
    scenario = validateScenario(value, found);
  } catch (e) {
    throw named(file, e);
  }
  const base = file === undefined ? cwd : dirname(file);
  const config = typeof scenario.config === 'string' ? resolve(base, scenario.config) : scenario.config;
  let loaded: LoadedConfig;
  try {
    loaded = await loadConfig(config, base);
  } catch (e) {
    if (!(e instanceof KvError) || e.code !== 'KV_ERR_BAD_CONFIG') throw e;
    // An inline config's issues are the scenario's, under `config`; a file's keep their own report.
    const issues = typeof config === 'string' || e.issues.length === 0 ? [{ path: 'config', message: e.message }] : e.issues.map((i) => ({ path: i.path === '' ? 'config' : `config${i.path.startsWith('[') ? '' : '.'}${i.path}`, message: i.message }));
    throw named(file, badConfig(issues, 'scenario'));
  }
  const names = namesIssues(
    scenario,
    loaded.settings.nodes.map((n) => n.name),
  );
  if (names.length > 0) throw named(file, badConfig(names, 'scenario'));
  return { scenario, file, loaded, config };
}

/** The error with the scenario file named first, when there is one. */
function named(file: string | undefined, e: unknown): unknown {
  if (!(e instanceof KvError) || file === undefined) return e;
  return Errors.inFile(file, e);
}
