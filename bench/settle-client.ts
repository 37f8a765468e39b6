/** A client thread of bench/settle.ts: on 'go', N gets via foo; posts the codes and when the last one settled. */
import { parentPort, workerData } from 'node:worker_threads';
import { connectClient } from '../src/index.js';
import type { ClientAttachment } from '../src/index.js';

const { attachment, inflight } = workerData as { attachment: ClientAttachment; inflight: number };
const kv = connectClient(attachment, { via: 'foo' });
const port = parentPort;
port?.postMessage('ready');
// eslint-disable-next-line @typescript-eslint/no-misused-promises -- a failure ends this benchmark process, as it should
port?.once('message', async () => {
  const codes: Record<string, number> = {};
  let last = 0;
  await Promise.all(
    Array.from({ length: inflight }, () =>
      kv
        .get('zebra', 'k')
        .then(
          () => 'ok',
          (e: { code: string }) => e.code,
        )
        .then((code) => {
          codes[code] = (codes[code] ?? 0) + 1;
          last = performance.timeOrigin + performance.now();
        }),
    ),
  );
  port.postMessage({ codes, last });
  kv.close();
});
