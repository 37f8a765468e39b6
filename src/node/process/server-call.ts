/**
 * A call to a named server (`GenServer.call({ name, node }, msg)`, the guide's option 2): a
 * message `['$call', { pid, ref }, msg]`, a monitor on the server while the caller waits, and
 * the server's `reply` to `ref` (a signal the mailbox never sees, so a late one is dropped).
 */
import { Errors } from '../../protocol/errors.js';
import type { KvError } from '../../protocol/errors.js';
import type { Pid, ServerName } from '../../protocol/messages.js';
import { describeDest, describeReason, nodeOfDest } from '../../core/pid.js';
import type { Proc } from './proc.js';
import type { ProcessTable } from './table.js';

/**
 * `GenServer.call`: sends `['$call', { pid, ref }, msg]` to `dest` and waits for the reply to
 * `ref` (`reply`), monitoring it meanwhile: it being gone or dying rejects at once
 * (KV_ERR_NO_PROCESS, or KV_ERR_NODE_DOWN for its node), no reply within `timeoutMs` with KV_ERR_TIMEOUT.
 */
export function callServer(table: ProcessTable, p: Proc, dest: Pid | ServerName, msg: unknown, timeoutMs: number): Promise<unknown> {
  const ref = table.ref();
  const what = describeDest(dest);
  return new Promise((resolve, reject) => {
    let cancel = (): void => undefined;
    const end = (): void => {
      cancel();
      p.dropCall(ref);
      if (p.dropMonitor(ref)) table.signal({ type: 'sig', k: 'demonitor', from: p.pid, to: dest, ref });
    };
    p.addCall(ref, {
      reply: (value) => {
        end();
        resolve(value);
      },
      down: (reason) => {
        end();
        reject(serverGone(dest, reason));
      },
      cancel: () => cancel(),
      fail: (error) => {
        cancel();
        reject(error);
      },
    });
    p.addMonitor(ref, dest);
    cancel = table.scheduler.after(timeoutMs, () => {
      end();
      reject(Errors.callTimeout(what, timeoutMs));
    });
    table.signal({ type: 'sig', k: 'monitor', from: p.pid, to: dest, ref });
    try {
      if (p.calls.has(ref)) table.send(p, dest, ['$call', { pid: p.pid, ref }, msg]);
    } catch (e) {
      end();
      reject(e);
    }
  });
}

/** Why a `callServer` ended without a reply: its node is gone, there is no such process, or it exited. */
function serverGone(dest: Pid | ServerName, reason: unknown): KvError {
  if (reason === 'noconnection') return Errors.nodeDown(nodeOfDest(dest));
  if (reason === 'noproc') return Errors.noProcess(describeDest(dest));
  return Errors.noProcess(describeDest(dest), `it exited (${describeReason(reason)}) before it replied`);
}
