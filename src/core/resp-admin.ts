/**
 * The connection and server commands clients send at connect and tools rely on: PING, ECHO,
 * QUIT, SELECT 0, HELLO (RESP3's handshake), CLIENT, CONFIG GET, COMMAND, DBSIZE. Answered
 * as Redis 7.0 answers them, enough that redis-cli, redis-benchmark, ioredis and node-redis go
 * on; kvmesh has one database and no configuration to set over RESP. Pure.
 */
import type { Bytes } from './bytes.js';
import { EMPTY_ARRAY, OK, PONG, array, bulk, bulkOrNil, flatMap, integer, map, nil, simple, text } from './resp-reply.js';
import { RespError, int64, notAnInteger } from './resp-errors.js';
import type { RespSession, Spec } from './resp-command.js';

/** The Redis version kvmesh answers as (clients choose features by it). */
export const REDIS_VERSION = '7.0.15';

/** Redis's error for a subcommand it does not know. */
const unknownSubcommand = (command: string, sub: Bytes): RespError => new RespError('ERR', `unknown subcommand '${sub.slice(0, 128)}'. Try ${command} HELP.`);

/** HELLO's map: the server, the protocol now spoken, this connection. */
function hello(s: RespSession): Bytes {
  const fields: [Bytes, Bytes][] = [
    [bulk('server'), bulk('redis')],
    [bulk('version'), bulk(REDIS_VERSION)],
    [bulk('proto'), integer(s.version)],
    [bulk('id'), integer(s.id)],
    [bulk('mode'), bulk(s.node.cluster ? 'cluster' : 'standalone')],
    [bulk('role'), bulk('master')],
    [bulk('modules'), EMPTY_ARRAY],
  ];
  return map(fields, s.version);
}

/** `HELLO [2|3] [AUTH user pass] [SETNAME name]`: switches the protocol (kvmesh has no users: any AUTH is accepted). */
function helloCommand(s: RespSession, a: readonly Bytes[]): Bytes {
  let version = s.version;
  if (a.length >= 2) {
    const v = int64(a[1] as Bytes);
    if (v === undefined) throw new RespError('ERR', 'Protocol version is not an integer or out of range');
    if (v !== 2n && v !== 3n) throw new RespError('NOPROTO', 'unsupported protocol version');
    version = v === 2n ? 2 : 3;
  }
  let name = s.name;
  for (let i = 2; i < a.length; i++) {
    const option = (a[i] as Bytes).toUpperCase();
    if (option === 'AUTH' && i + 2 < a.length) i += 2;
    else if (option === 'SETNAME' && i + 1 < a.length) name = a[++i];
    else throw new RespError('ERR', `Syntax error in HELLO option '${(a[i] as Bytes).slice(0, 128)}'`);
  }
  s.version = version;
  s.name = name;
  return hello(s);
}

/** This connection as `CLIENT INFO` and `CLIENT LIST` print it. */
function clientLine(s: RespSession): string {
  return `id=${s.id} name=${s.name ?? ''} db=0 resp=${s.version} lib-name=${s.lib.name} lib-ver=${s.lib.version}\n`;
}

function client(s: RespSession, a: readonly Bytes[]): Bytes {
  const sub = (a[1] as Bytes).toUpperCase();
  switch (sub) {
    case 'SETNAME': {
      const name = a[2];
      if (a.length !== 3 || name === undefined) throw new RespError('ERR', "wrong number of arguments for 'client|setname' command");
      if (/[^\x21-\x7e]/.test(name)) throw new RespError('ERR', 'Client names cannot contain spaces, newlines or special characters.');
      s.name = name === '' ? undefined : name;
      return OK;
    }
    case 'GETNAME':
      return bulkOrNil(s.name, s.version);
    case 'ID':
      return integer(s.id);
    case 'SETINFO': {
      const [, , attr, value] = a;
      if (a.length !== 4 || attr === undefined || value === undefined) throw new RespError('ERR', "wrong number of arguments for 'client|setinfo' command");
      const which = attr.toUpperCase();
      if (which === 'LIB-NAME') s.lib.name = value;
      else if (which === 'LIB-VER') s.lib.version = value;
      else throw new RespError('ERR', `Unrecognized option '${attr.slice(0, 128)}'`);
      return OK;
    }
    case 'INFO':
    case 'LIST':
      return text(clientLine(s));
    case 'NO-EVICT':
    case 'NO-TOUCH':
      return OK;
    default:
      throw unknownSubcommand('CLIENT', a[1] as Bytes);
  }
}

/** What `CONFIG GET` reports, in Redis's names. */
function configValues(s: RespSession): [string, string][] {
  return [
    ['save', ''],
    ['appendonly', 'no'],
    ['databases', '1'],
    ['maxmemory', '0'],
    ['maxmemory-policy', 'noeviction'],
    ['port', String(s.node.port())],
    ['bind', s.node.host],
    ['cluster-enabled', s.node.cluster ? 'yes' : 'no'],
  ];
}

/** A Redis glob (`*`, `?`, `[…]`) as a case-insensitive RegExp. */
function glob(pattern: string): RegExp {
  const source = pattern
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i');
}

function config(s: RespSession, a: readonly Bytes[]): Bytes {
  const sub = (a[1] as Bytes).toUpperCase();
  if (sub === 'GET') {
    if (a.length < 3) throw new RespError('ERR', "wrong number of arguments for 'config|get' command");
    const patterns = a.slice(2).map(glob);
    return flatMap(
      configValues(s)
        .filter(([name]) => patterns.some((p) => p.test(name)))
        .flat(),
      s.version,
    );
  }
  if (sub === 'SET') throw new RespError('ERR', 'CONFIG SET is not supported: kvmesh is configured by its kvrc.json');
  if (sub === 'RESETSTAT') return OK;
  throw unknownSubcommand('CONFIG', a[1] as Bytes);
}

/** `COMMAND`: kvmesh describes no commands (redis-cli then uses its own help); COUNT and LIST name what it serves. */
function command(s: RespSession, a: readonly Bytes[], names: readonly string[]): Bytes {
  const sub = a[1]?.toUpperCase();
  if (sub === undefined || sub === 'INFO') return a.length > 2 ? array(a.slice(2).map(() => nil(s.version))) : EMPTY_ARRAY;
  if (sub === 'DOCS') return map([], s.version);
  if (sub === 'COUNT') return integer(names.length);
  if (sub === 'LIST') return array(names.map((n) => bulk(n.toLowerCase())));
  throw unknownSubcommand('COMMAND', a[1] as Bytes);
}

/** The connection and server commands; `names()`: every command served (for COMMAND COUNT and LIST). */
export function adminCommands(names: () => readonly string[]): Record<string, Spec> {
  return {
    PING: {
      arity: -1,
      run: (_s, a) => {
        if (a.length > 2) throw new RespError('ERR', "wrong number of arguments for 'ping' command");
        return a.length === 2 ? bulk(a[1] as Bytes) : PONG;
      },
    },
    ECHO: { arity: 2, run: (_s, a) => bulk(a[1] as Bytes) },
    QUIT: {
      arity: -1,
      run: (s) => {
        s.quit();
        return OK;
      },
    },
    SELECT: {
      arity: 2,
      run: (_s, a) => {
        const db = int64(a[1] as Bytes);
        if (db === undefined) throw notAnInteger();
        if (db !== 0n) throw new RespError('ERR', 'DB index is out of range');
        return OK;
      },
    },
    HELLO: { arity: -1, run: helloCommand },
    CLIENT: { arity: -2, run: client },
    CONFIG: { arity: -2, run: config },
    COMMAND: { arity: -1, run: (s, a) => command(s, a, names()) },
    DBSIZE: { arity: 1, run: (s) => s.node.keys(true), reply: (v) => integer(v as number) },
    RESET: {
      arity: 1,
      run: (s) => {
        s.version = 2;
        s.name = undefined;
        return simple('RESET');
      },
    },
  };
}
