/** Every Redis command kvmesh serves, by name in upper case: the data commands, the connection and server commands, INFO and CLUSTER. Pure. */
import type { Spec } from './resp-command.js';
import { DATA_COMMANDS } from './resp-data.js';
import { adminCommands } from './resp-admin.js';
import { INFO_COMMANDS } from './resp-info.js';

const names = (): readonly string[] => [...RESP_COMMANDS.keys()];

/** The command table. */
export const RESP_COMMANDS: ReadonlyMap<string, Spec> = new Map(Object.entries({ ...DATA_COMMANDS, ...adminCommands(names), ...INFO_COMMANDS }));
