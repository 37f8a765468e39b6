/**
 * The node thread's bundled entry and the stamp that says it is current. `npm run build`
 * bundles build/workers/node.js into one file (esbuild), then stamps it with a digest of the
 * bundle and of every package module it was built from. A thread starts from the bundle only
 * while that digest still holds, so a plain `tsc`, an edited module or a bundle from another
 * build falls back to the modules; file times, which archives and copies do not keep in order,
 * play no part.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What the build writes next to the bundle (`<bundle>.stamp.json`). */
export interface BundleStamp {
  /** The package modules the bundle was built from, relative to the bundle's folder, sorted. */
  readonly inputs: readonly string[];
  /** SHA-256 (hex) of the bundle and then each input, each with its name. */
  readonly digest: string;
}

/** The stamp's file next to `bundle`. */
export function stampFile(bundle: URL): URL {
  return new URL(`${bundle.href}.stamp.json`);
}

/** The digest of `bundle` and its `inputs` as they are now; throws if one cannot be read. */
export function digestOf(bundle: URL, inputs: readonly string[]): string {
  const hash = createHash('sha256');
  for (const [name, file] of [['', bundle] as const, ...inputs.map((i) => [i, new URL(i, bundle)] as const)]) {
    const bytes = readFileSync(file);
    // Name and length first: moving bytes from one file to the next changes the digest.
    hash.update(`${name}\0${bytes.length}\0`).update(bytes);
  }
  return hash.digest('hex');
}

/** Whether `bundle` is the one its stamp describes, built from the modules as they are now. */
export function bundleIsCurrent(bundle: URL): boolean {
  try {
    const stamp = JSON.parse(readFileSync(stampFile(bundle), 'utf8')) as Partial<BundleStamp> | null;
    const inputs = stamp?.inputs;
    if (typeof stamp?.digest !== 'string' || !Array.isArray(inputs) || inputs.length === 0 || !inputs.every((i) => typeof i === 'string')) return false;
    return digestOf(bundle, inputs) === stamp.digest;
  } catch {
    // No stamp, no bundle, or an input gone: the modules are what is there.
    return false;
  }
}

/** The entry a node thread starts from: `bundle` if it is current, else `modules`. */
export function nodeEntry(bundle: URL, modules: URL): URL {
  return bundleIsCurrent(bundle) ? bundle : modules;
}

/**
 * Stamps `bundle` from esbuild's metafile (`--metafile`, paths relative to `root`): the build's
 * last step. Inputs from node_modules are left out: an installed package finds its dependencies
 * elsewhere, and the bundle carries its own copy of them anyway.
 */
export function writeStamp(metafile: string, bundle: string, root = process.cwd()): BundleStamp {
  const meta = JSON.parse(readFileSync(metafile, 'utf8')) as { inputs: Record<string, unknown> };
  const folder = dirname(resolve(root, bundle));
  const inputs = Object.keys(meta.inputs)
    .filter((i) => !i.split(/[\\/]/).includes('node_modules'))
    .map((i) => relative(folder, resolve(root, i)).split('\\').join('/'))
    .map((i) => (i.startsWith('.') ? i : `./${i}`))
    .sort();
  const url = pathToFileURL(resolve(root, bundle));
  const stamp: BundleStamp = { inputs, digest: digestOf(url, inputs) };
  writeFileSync(fileURLToPath(stampFile(url)), `${JSON.stringify(stamp, null, 2)}\n`);
  return stamp;
}
