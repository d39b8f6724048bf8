import type { FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { factsSchema } from '../../domain/facts';
import { breachSignalSchema } from '../../domain/signal';
import { answerSchemas, TASK_KINDS } from '../../domain/tasks';

/**
 * Components of the OpenAPI document that no route references directly: the answer of each task kind (the body's
 * `answer` depends on the task). A registry of its own, so the domain schemas' global metadata stays untouched.
 */
function componentRegistry() {
  const registry = z.registry<{ id: string; description?: string }>();
  for (const kind of TASK_KINDS)
    registry.add(answerSchemas[kind], { id: `Answer-${kind}`, description: `The answer to a "${kind}" task` });
  registry.add(factsSchema, { id: 'Facts' });
  registry.add(breachSignalSchema, { id: 'BreachSignal' });
  return registry;
}

/** GET /openapi.json, generated from the same zod schemas that validate the requests. */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  const schemaRegistry = componentRegistry();
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'lekdicht',
        description:
          "Durable data-breach (datalek) playbooks: intake for automated sources (HMAC-signed) and the responders' API (cookie session + CSRF token). See docs/http-api.md.",
        version,
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'lekdicht.sid' },
          csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
        },
      },
    },
    transform: createJsonSchemaTransform({ schemaRegistry }),
    transformObject: createJsonSchemaTransformObject({ schemaRegistry }),
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
