import { createServer, type Server } from 'node:http';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { parseBindAddress } from '../domain/operations-config';
import { temporalReachable } from '../config/temporal';
import { registerReadable, type RegisterReader } from '../register/operations';

export interface WorkerHealth {
  /** Where it listens, e.g. http://127.0.0.1:9465. */
  url: string;
  close(): Promise<void>;
}

/**
 * The worker's /healthz (the process answers) and /readyz (the worker polls, the Temporal server answers, the
 * register can be read) for an orchestrator's probes, on a listener of its own (operations.workerHealthAddress).
 * The answers are a word and a status code: nothing about a breach. Node's own server: two fixed paths need no
 * framework in the worker.
 */
export async function startWorkerHealth(
  address: string,
  parts: { worker: Pick<Worker, 'getState'>; connection: NativeConnection; register: Pick<RegisterReader, 'breach'> },
): Promise<WorkerHealth> {
  const server: Server = createServer((request, response) => {
    const reply = (status: number, body: object) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      response.end(JSON.stringify(body));
    };
    const path = (request.url ?? '').split('?', 1)[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') return reply(405, { error: 'method-not-allowed' });
    if (path === '/healthz') return reply(200, { status: 'ok' });
    if (path !== '/readyz') return reply(404, { error: 'not-found' });
    void (async () => {
      const checks = {
        worker: parts.worker.getState() === 'RUNNING',
        temporal: await temporalReachable(parts.connection),
        register: await registerReadable(parts.register),
      };
      const ready = Object.values(checks).every(Boolean);
      reply(ready ? 200 : 503, { status: ready ? 'ready' : 'not-ready', checks });
    })();
  });
  const { host, port } = parseBindAddress(address);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = server.address();
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${typeof bound === 'object' && bound ? bound.port : port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
