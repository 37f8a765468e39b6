/** The `resp` settings of a node (its Redis protocol server): validated, with defaults filled in. Pure. */
import type { RespSettings } from '../protocol/data.js';
import { toBytes } from './bytes.js';
import { CONFIG_KEYS, defaults } from './config-spec.js';
import { describe, join } from './issues.js';
import type { Collector, Json } from './issues.js';

/** The RESP settings at `path`, or undefined when absent; `host`: the node's, the default of the RESP server's. */
export function checkResp(c: Collector, raw: Json, path: string, host: string): RespSettings | undefined {
  if (raw === undefined) return undefined;
  const o = c.object(raw, path, CONFIG_KEYS.resp);
  if (o === undefined) return undefined;
  const port = c.integer(o['port'], join(path, 'port'), 0, 65535) ?? 0;
  const own = o['host'];
  if (own !== undefined && (typeof own !== 'string' || own === '')) c.add(join(path, 'host'), `expected a host name or address but received ${describe(own)}`);
  const cluster = o['cluster'];
  if (cluster !== undefined && typeof cluster !== 'boolean') c.add(join(path, 'cluster'), `expected true or false but received ${describe(cluster)}`);
  const bucket = o['defaultBucket'];
  if (bucket !== undefined && (typeof bucket !== 'string' || bucket === '')) c.add(join(path, 'defaultBucket'), `expected a bucket name but received ${describe(bucket)}`);
  return {
    port,
    host: typeof own === 'string' && own !== '' ? own : host,
    cluster: cluster === true,
    defaultBucket: toBytes(typeof bucket === 'string' && bucket !== '' ? bucket : defaults.respDefaultBucket),
  };
}
