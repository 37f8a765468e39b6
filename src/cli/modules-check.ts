/** What `kvmesh check` adds to validation: every configured module file must exist and load, as `start` will need. */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { LoadedConfig } from '../cluster/load-config.js';
import type { ModuleSettings } from '../core/config.js';
import { badConfig } from '../core/config.js';
import { KvError } from '../protocol/errors.js';
import type { Issue } from '../protocol/errors.js';

/** How a module file is looked at: whether it is there, and importing it. */
export interface ModuleFiles {
  exists(path: string): boolean;
  load(path: string): Promise<unknown>;
}

const files: ModuleFiles = { exists: existsSync, load: (path) => import(pathToFileURL(path).href) };

/** One issue (path `modules.NAME`) per module whose file is not there or does not load (throws, or fails to parse, when imported). */
export async function moduleIssues(modules: readonly ModuleSettings[], fs: ModuleFiles = files): Promise<Issue[]> {
  const issues: Issue[] = [];
  for (const m of modules) {
    const path = `modules.${m.name}`;
    if (!fs.exists(m.path)) {
      issues.push({ path, message: `file ${m.path} does not exist` });
      continue;
    }
    try {
      await fs.load(m.path);
    } catch (e) {
      // A syntax error's stack starts with `FILE:LINE` when V8 knows the line; its message never says it.
      const first = e instanceof SyntaxError ? (e.stack?.split('\n')[0] ?? '') : '';
      const line = first.startsWith(`${m.path}:`) ? first.slice(m.path.length + 1) : '';
      const why = e instanceof Error ? `${e.name}: ${e.message}${/^\d+$/.test(line) ? ` (line ${line})` : ''}` : `threw ${String(e)}`;
      issues.push({ path, message: `${m.path} does not load: ${why}` });
    }
  }
  return issues;
}

/** Throws KV_ERR_BAD_CONFIG, as validation does, listing every module of `loaded` that does not load. */
export async function assertModulesLoad(loaded: LoadedConfig, fs: ModuleFiles = files): Promise<void> {
  const issues = await moduleIssues(loaded.settings.modules, fs);
  if (issues.length === 0) return;
  const e = badConfig(issues);
  throw loaded.filepath === undefined ? e : new KvError(e.code, `${loaded.filepath}: ${e.message}`, e.issues);
}
