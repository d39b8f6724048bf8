import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { temporalReachable } from '../../config/temporal';
import { registerReadable, type RegisterReader } from '../../register/operations';

/**
 * /healthz: the process answers (restart it if not). /readyz: the Temporal server answers on this service's
 * connection and the register can be read (send it no traffic if not). On the service's own port, because a load
 * balancer probes where it sends traffic; the answers are words and booleans, nothing about a breach.
 */
export async function healthRoutes(
  app: FastifyInstance,
  deps: { client: Client; register: Pick<RegisterReader, 'breach'> },
): Promise<void> {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const [temporal, register] = await Promise.all([
      temporalReachable(deps.client.connection),
      registerReadable(deps.register),
    ]);
    const ready = temporal && register;
    return reply
      .status(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not-ready', checks: { temporal, register } });
  });
}
