/**
 * Generators of hostile and invalid input for the bad-input property tests (test/bad-input-*.test.ts): hostile
 * text, and mutations of a valid JSON document that its zod schema must refuse, each with the path of the field
 * the refusal has to name.
 */
import fc from 'fast-check';
import type { z } from 'zod';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Path = (string | number)[];

/** Pieces that break naive renderers: markup, attribute breakout, header injection, control and bidi characters, lone surrogates. */
export const HOSTILE_PIECES = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)",
  '`${alert(1)}`',
  '</textarea><svg onload=alert(1)>',
  '<!-- -->',
  '<a href="javascript:alert(1)">x</a>',
  '<javascript:alert(1)>',
  '[x](javascript:alert(1))',
  '&lt;script&gt;',
  '\r\nBcc: victim@evil.example',
  '\nSubject: forged',
  '\n## Forged heading\n- **Oorzaak:** verkeerde ontvanger',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u2028',
  '\u2029',
  '\u202e',
  '\u2066',
  // The invisible direction marks: as able to reorder what a line seems to say as the overrides.
  '\u200e',
  '\u200f',
  '\u061c',
  '\ud800',
  '\udfff',
  '\ud83d',
  '😀',
  '\t',
  '\r',
  ' ',
] as const;

/** One UTF-16 code unit of any value: control characters and lone surrogates included. */
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));

/** Text mixing ordinary characters, hostile pieces and arbitrary code units. */
export const hostileText = (maxLength = 40): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_PIECES) },
        { weight: 3, arbitrary: anyCodeUnit },
        { weight: 2, arbitrary: fc.string({ maxLength: 4 }) },
      ),
      { minLength: 1, maxLength },
    )
    .map((parts) => parts.join(''));

/** Hostile text that is sure to contain a markup character or a control character (so it is never a valid enum value, date or email). */
export const hostileNonMatching = hostileText().map((text) => `${text}<\u0000`);

/** Text longer than any text field of lekdicht allows (the longest is 20,000 code points, as zod counts), without whitespace to trim. */
export const hugeText = fc
  .tuple(fc.integer({ min: 20_001, max: 40_000 }), fc.constantFrom('x', '<', '€', '\u0000', '😀'))
  .map(([n, c]) => `a${c.repeat(n)}`);

export function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** A value of another JSON kind than `value`. */
export function otherKind(value: unknown): fc.Arbitrary<Json> {
  const all: [string, fc.Arbitrary<Json>][] = [
    ['null', fc.constant(null)],
    ['boolean', fc.boolean()],
    ['number', fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))],
    ['string', fc.oneof(fc.constantFrom('', 'true', '1', 'ja', 'null'), hostileText(8))],
    ['array', fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.integer()), { maxLength: 3 })],
    [
      'object',
      fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.oneof(fc.string({ maxLength: 3 }), fc.integer()), {
        maxKeys: 2,
      }),
    ],
  ];
  return fc.oneof(...all.filter(([kind]) => kind !== kindOf(value)).map(([, arb]) => arb));
}

export function nodes(value: Json, path: Path = []): { path: Path; value: Json }[] {
  const here = [{ path, value }];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => nodes(v, [...path, i]))];
  if (value !== null && typeof value === 'object')
    return [...here, ...Object.entries(value).flatMap(([k, v]) => nodes(v, [...path, k]))];
  return here;
}

/** A copy of `doc` with the node at `path` replaced (or, with `remove`, deleted). Keys such as "__proto__" stay own keys. */
export function withNode(doc: Json, path: Path, replace: (old: Json) => Json | undefined): Json {
  if (path.length === 0) return replace(doc) ?? null;
  const copy = JSON.parse(JSON.stringify(doc)) as Json;
  let parent = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const last = path.at(-1)!;
  const next = replace(parent[last] as Json);
  if (next === undefined) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else {
    Object.defineProperty(parent, last, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

type Def = {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  format?: string;
};
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The schema without optional/default/pipe wrappers, as it checks a present value. */
export function unwrap(schema: z.ZodType): z.ZodType {
  for (;;) {
    const def = defOf(schema);
    if (
      ['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional'].includes(def.type) &&
      def.innerType
    )
      schema = def.innerType;
    else if (def.type === 'pipe' && def.in) schema = def.in;
    else return schema;
  }
}

/** The schema of the node at `path`, or undefined where the schema is not a plain object/array (a record, a union). */
export function schemaAt(schema: z.ZodType, path: Path): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema;
  for (const key of path) {
    if (!current) return undefined;
    const def = defOf(unwrap(current));
    if (def.type === 'object' && typeof key === 'string') current = def.shape?.[key];
    else if (def.type === 'array' && typeof key === 'number') current = def.element;
    else return undefined;
  }
  return current;
}

export const isStrictObject = (schema: z.ZodType | undefined) =>
  schema !== undefined && defOf(unwrap(schema)).type === 'object';
/** A string the schema constrains beyond its length: an enum, a date-time, an email, a pattern. */
export const isConstrainedString = (schema: z.ZodType | undefined) => {
  if (!schema) return false;
  const def = defOf(unwrap(schema));
  return def.type === 'enum' || def.type === 'literal' || (def.type === 'string' && def.format !== undefined);
};

/** Counterexamples stay readable: long strings are shown by their start and length. */
function brief(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'string' && v.length > 120 ? `${v.slice(0, 60)}… (${v.length} characters)` : v,
  );
}

function describedMutation(kind: string, value: Json, path: Path): Mutation {
  return { kind, value, path, [fc.toStringMethod]: () => `${kind} at ${brief(path)}: ${brief(value)}` } as Mutation;
}

export interface Mutation {
  kind: string;
  value: Json;
  /** The field the refusal must name ([] for the input as a whole). */
  path: Path;
}

/**
 * Mutations of a valid document that the schema must refuse, each naming the field: a required field left out,
 * a value of the wrong JSON type, an unknown key in any object, a negative number, a text longer than any limit,
 * a hostile string where an enum, date or email belongs, and something else than an object altogether.
 */
export interface MutationOptions {
  /** Which text fields get a text longer than any limit (default: all). */
  hugeText?: (path: Path) => boolean;
  /** Which objects get an unknown key (default: all). */
  unknownKeys?: (path: Path) => boolean;
  /** Which enum, date, email or URL fields get hostile text (default: all). */
  constrained?: (path: Path) => boolean;
}

export function invalidMutations(schema: z.ZodType, doc: Json, options: MutationOptions = {}): fc.Arbitrary<Mutation> {
  const all = nodes(doc);
  const inner = all.filter((n) => n.path.length > 0 && schemaAt(schema, n.path) !== undefined);
  const required = inner.filter(
    (n) => typeof n.path.at(-1) === 'string' && !schemaAt(schema, n.path)!.safeParse(undefined).success,
  );
  const objects = all.filter(
    (n) =>
      n.value !== null &&
      typeof n.value === 'object' &&
      !Array.isArray(n.value) &&
      (n.path.length === 0 || isStrictObject(schemaAt(schema, n.path))),
  );
  const numbers = inner.filter((n) => typeof n.value === 'number');
  const strings = inner.filter((n) => typeof n.value === 'string');
  const constrained = strings.filter(
    (n) => isConstrainedString(schemaAt(schema, n.path)) && (options.constrained?.(n.path) ?? true),
  );
  const pick = <T>(list: T[]) => fc.constantFrom(...list);

  const arbs: fc.Arbitrary<Mutation>[] = [
    otherKind(doc)
      .filter((v) => kindOf(v) !== 'object')
      .map((value) => describedMutation('not an object', value, [])),
  ];
  if (required.length > 0)
    arbs.push(
      pick(required).map((n) =>
        describedMutation(
          'required field left out',
          withNode(doc, n.path, () => undefined),
          n.path,
        ),
      ),
    );
  if (inner.length > 0) {
    arbs.push(
      pick(inner).chain((n) =>
        otherKind(n.value).map((v) =>
          describedMutation(
            `${kindOf(n.value)} replaced by ${kindOf(v)}`,
            withNode(doc, n.path, () => v),
            n.path,
          ),
        ),
      ),
    );
  }
  if (objects.some((n) => options.unknownKeys?.(n.path) ?? true)) {
    arbs.push(
      fc
        .tuple(
          pick(objects.filter((n) => options.unknownKeys?.(n.path) ?? true)),
          fc.oneof(
            fc.constantFrom('__proto__', 'constructor', 'toString', 'extra', 'isPersonalDataBreach '),
            hostileText(12),
          ),
        )
        .filter(
          ([n, key]) => !Object.hasOwn(n.value as object, key) && !Object.hasOwn(unwrapShape(schema, n.path), key),
        )
        .map(([n, key]) =>
          describedMutation(
            'unknown key',
            withNode(doc, n.path, (old) => {
              const copy = { ...(old as Record<string, Json>) };
              Object.defineProperty(copy, key, { value: 'x', enumerable: true, writable: true, configurable: true });
              return copy;
            }),
            [...n.path, key],
          ),
        ),
    );
  }
  if (numbers.length > 0)
    arbs.push(
      fc.tuple(pick(numbers), fc.integer({ min: -1e12, max: -2 })).map(([n, v]) =>
        describedMutation(
          'negative number',
          withNode(doc, n.path, () => v),
          n.path,
        ),
      ),
    );
  const longable = strings.filter((n) => options.hugeText?.(n.path) ?? true);
  if (longable.length > 0)
    arbs.push(
      fc.tuple(pick(longable), hugeText).map(([n, v]) =>
        describedMutation(
          'huge text',
          withNode(doc, n.path, () => v),
          n.path,
        ),
      ),
    );
  if (constrained.length > 0)
    arbs.push(
      fc.tuple(pick(constrained), hostileNonMatching).map(([n, v]) =>
        describedMutation(
          'hostile text in a constrained field',
          withNode(doc, n.path, () => v),
          n.path,
        ),
      ),
    );
  return fc.oneof(...arbs);
}

function unwrapShape(schema: z.ZodType, path: Path): Record<string, unknown> {
  const at = path.length === 0 ? schema : schemaAt(schema, path);
  return (at && defOf(unwrap(at)).shape) ?? {};
}

/** The field name as a message shows it: plain names as they are, anything else quoted as JSON and shortened (domain/errors.ts). */
export function fieldName(prefix: string, path: Path): string {
  const part = (p: string | number) => {
    const text = String(p);
    if (/^[A-Za-z0-9_-]{1,60}$/.test(text)) return text;
    const chars = Array.from(text);
    // JSON escapes C0 controls and lone surrogates; DEL, C1 controls, line separators and bidi overrides are escaped too.
    return JSON.stringify(chars.length <= 60 ? text : `${chars.slice(0, 60).join('')}…`).replace(
      /[\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  };
  return [prefix, ...path.map(part)].filter(Boolean).join('.') || '(input)';
}

/**
 * The message names the field (`answer.awareAt: …`) and says what is wrong with it (a problem of some words after
 * the colon), on one line.
 */
export function expectNamesField(message: string, prefix: string, path: Path): void {
  const name = fieldName(prefix, path);
  // The name starts the message or follows "invalid …: " or another problem's "; ", and a problem follows it.
  const at = [`: ${name}: `, `; ${name}: `].map((s) => message.indexOf(s)).filter((i) => i >= 0);
  if (message.startsWith(`${name}: `)) at.push(-2);
  if (at.length === 0) throw new Error(`the message does not name the field ${name}:\n${message}`);
  const problem = message.slice(Math.min(...at) + 2 + name.length + 2);
  if (!/^[^;]*[a-z]{2,}/i.test(problem)) throw new Error(`the message names ${name} but not the problem:\n${message}`);
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (/[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/.test(message))
    throw new Error(`the message is not one printable line:\n${JSON.stringify(message)}`);
}
