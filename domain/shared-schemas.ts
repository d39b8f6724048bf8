/**
 * Schemas built once per worker and shared by all its workflows (workflows/preload.ts says which modules).
 *
 * The SDK's reused V8 context evaluates the preloaded modules once, then deep-freezes everything their exports
 * reach (zod's own exports included), so no workflow can change what another one sees. zod 4 does not survive
 * that freeze: it defines a schema's methods on first read (`safeParse` becomes an own property bound to the
 * schema), writes into the schema's internals while parsing (values it derives once), and resets the
 * `lastIndex` of every pattern it tests, its own shared patterns too. Settling a schema defines every such member
 * now, gives the schema private copies of its patterns, and freezes the schema object itself. The SDK's freeze
 * stops at an object that is already frozen, so zod's internals stay writable: they hold only what zod derives
 * from the schema's own definition (the same whichever workflow parses first) and scratch state that every parse
 * resets before use (a pattern's `lastIndex`). A workflow cannot change a settled schema: it is frozen.
 */
import type { z } from 'zod';

function isSchema(value: object): value is z.ZodType {
  const internals = (value as { _zod?: { traits?: unknown } })._zod;
  return internals?.traits instanceof Set && internals.traits.has('$ZodType');
}

/** A RegExp whose `lastIndex` every use writes: it cannot be used once frozen. */
const isStateful = (value: RegExp) => value.global || value.sticky;

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
 * Gives every pattern in the schema's internals (its own, its checks', its fields') a private copy: zod assigns
 * `lastIndex` before each test, and a pattern it shares from its own exports is frozen by the SDK.
 */
function copyPatterns(schema: z.ZodType): void {
  const seen = new WeakSet<object>();
  const visit = (object: object): void => {
    if (seen.has(object)) return;
    seen.add(object);
    for (const key of Reflect.ownKeys(object)) {
      const descriptor = Object.getOwnPropertyDescriptor(object, key);
      let value: unknown;
      try {
        // An accessor here is zod's own lazy one (an object's shape): reading it is what a parse does first.
        value = descriptor?.get ? Reflect.get(object, key) : descriptor?.value;
      } catch {
        continue;
      }
      if (value instanceof RegExp) {
        if (descriptor && 'value' in descriptor && descriptor.writable) {
          Object.defineProperty(object, key, { ...descriptor, value: new RegExp(value.source, value.flags) });
        }
      } else if (value !== null && typeof value === 'object') {
        visit(value);
      }
    }
  };
  visit((schema as unknown as { _zod: object })._zod);
}

/**
 * Settles every zod schema the given modules' exports reach, walking them as the SDK's freeze does (own
 * properties, not into functions or frozen objects); returns how many it settled. Call it with the exports of
 * every preloaded module, after they are all evaluated. Throws for an exported global or sticky RegExp: frozen,
 * it would fail at its first use in a workflow (keep it in the module and export a function that uses it).
 */
export function settleSchemas(modules: Readonly<Record<string, object>>): number {
  const seen = new WeakSet<object>();
  let settled = 0;
  const visit = (value: unknown, path: string): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Object.isFrozen(value)) return;
    if (value instanceof RegExp && isStateful(value)) {
      throw new Error(`${path} is a ${value.flags} RegExp: shared by all workflows it is frozen, and cannot be used`);
    }
    if (isSchema(value)) {
      defineLazyMembers(value);
      copyPatterns(value);
      Object.freeze(value);
      settled += 1;
      return;
    }
    for (const key of Reflect.ownKeys(value)) {
      visit((value as Record<PropertyKey, unknown>)[key], `${path}.${String(key)}`);
    }
  };
  for (const [name, exports] of Object.entries(modules)) visit(exports, name);
  return settled;
}
