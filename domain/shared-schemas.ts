/**
 * Schemas built once per worker and shared by all its workflows (workflows/preload.ts says which modules).
 *
 * The SDK's reused V8 context evaluates the preloaded modules once, then deep-freezes everything their exports
 * reach, so no workflow can change what another one sees. zod 4 does not survive that freeze: it defines a
 * schema's methods on first read (`safeParse` becomes an own property bound to the schema) and writes into the
 * schema's internals while parsing (values it derives once, a regex's `lastIndex`). Settling a schema defines
 * every such member now and freezes the schema object itself. The SDK's freeze stops at an object that is
 * already frozen, so zod's internals stay writable: they hold only what zod derives from the schema's own
 * definition (the same whichever workflow parses first) and scratch state that every parse resets before use.
 */
import type { z } from 'zod';

function isSchema(value: object): value is z.ZodType {
  const internals = (value as { _zod?: { traits?: unknown } })._zod;
  return internals?.traits instanceof Set && internals.traits.has('$ZodType');
}

/** Reads every accessor of the schema's prototypes once: zod's lazy members define themselves on the schema. */
function defineLazyMembers(schema: z.ZodType): void {
  let proto = Object.getPrototypeOf(schema) as object | null;
  while (proto && proto !== Object.prototype) {
    for (const key of Reflect.ownKeys(proto)) {
      if (Object.prototype.hasOwnProperty.call(schema, key)) continue;
      if (!Object.getOwnPropertyDescriptor(proto, key)?.get) continue;
      try {
        Reflect.get(schema, key);
      } catch {
        // A member zod cannot compute for this schema fails for a workflow too (on a frozen schema, as "not extensible").
      }
    }
    proto = Object.getPrototypeOf(proto) as object | null;
  }
}

/**
 * Settles every zod schema the given values reach, walking them as the SDK's freeze does (own properties, not
 * into functions or frozen objects); returns how many it settled. Call it on the exports of every module that is
 * preloaded, after they are all evaluated.
 */
export function settleSchemas(roots: readonly unknown[]): number {
  const seen = new WeakSet<object>();
  let settled = 0;
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Object.isFrozen(value)) return;
    if (isSchema(value)) {
      defineLazyMembers(value);
      Object.freeze(value);
      settled += 1;
      return;
    }
    for (const key of Reflect.ownKeys(value)) visit((value as Record<PropertyKey, unknown>)[key]);
  };
  for (const root of roots) visit(root);
  return settled;
}
