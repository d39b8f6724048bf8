import { z } from 'zod';
import { answerSchemas, type TaskKind } from '../../domain/tasks';

/**
 * The shape of a task's form, derived from its zod answer schema through `z.toJSONSchema` (input side, so
 * defaults make a field optional): one node per field, nested like the answer. Refinements (superRefine) do
 * not survive the conversion and need not: the same zod schema validates the parsed answer.
 */
export type FieldNode =
  | { type: 'text'; key: string; required: boolean; multiline: boolean; email: boolean; maxLength?: number }
  | { type: 'datetime'; key: string; required: boolean }
  | { type: 'number'; key: string; required: boolean; integer: boolean; minimum?: number; maximum?: number }
  | { type: 'boolean'; key: string; required: boolean }
  /** z.literal(true): one box to tick. */
  | { type: 'check'; key: string; required: boolean }
  | { type: 'choice'; key: string; required: boolean; options: readonly (string | number)[]; default?: string | number }
  /** An array of enum values: a checklist. */
  | { type: 'multi'; key: string; required: boolean; options: readonly string[] }
  /** An array of short strings: one per line. */
  | { type: 'lines'; key: string; required: boolean }
  /** An object; `record`: one optional field per key of an enum (`z.partialRecord`), e.g. a count per kind of data. */
  | { type: 'group'; key: string; required: boolean; children: readonly FieldNode[]; record?: boolean }
  /** An array of objects: repeated rows of the same fields. */
  | { type: 'rows'; key: string; required: boolean; item: readonly FieldNode[]; maxItems?: number };

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  propertyNames?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  required?: string[];
  items?: JsonSchema;
  enum?: (string | number)[];
  anyOf?: JsonSchema[];
  const?: unknown;
  format?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  default?: unknown;
}

/** Longer limits than this get a textarea: a reference number fits a line, an explanation does not. */
const MULTILINE_FROM = 1_000;

function nodeFor(key: string, schema: JsonSchema, required: boolean): FieldNode {
  if (schema.anyOf?.every((option) => option.const !== undefined)) {
    return { type: 'choice', key, required, options: schema.anyOf.map((option) => option.const as string | number) };
  }
  if (schema.enum) {
    return {
      type: 'choice',
      key,
      required,
      options: schema.enum,
      ...(schema.default !== undefined ? { default: schema.default as string } : {}),
    };
  }
  switch (schema.type) {
    case 'string':
      if (schema.format === 'date-time') return { type: 'datetime', key, required };
      return {
        type: 'text',
        key,
        required,
        multiline: schema.format === undefined && (schema.maxLength ?? 0) >= MULTILINE_FROM,
        email: schema.format === 'email',
        ...(schema.maxLength !== undefined ? { maxLength: schema.maxLength } : {}),
      };
    case 'integer':
    case 'number':
      return {
        type: 'number',
        key,
        required,
        integer: schema.type === 'integer',
        ...(schema.minimum !== undefined ? { minimum: schema.minimum } : {}),
        // zod writes Number.MAX_SAFE_INTEGER for .int(); not worth showing as a limit.
        ...(schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER
          ? { maximum: schema.maximum }
          : {}),
      };
    case 'boolean':
      return schema.const === true ? { type: 'check', key, required } : { type: 'boolean', key, required };
    case 'object': {
      const keys = schema.propertyNames?.enum;
      const each = schema.additionalProperties;
      if (keys && typeof each === 'object') {
        const children = keys.map((k) => nodeFor(String(k), each, false));
        return { type: 'group', key, required, children, record: true };
      }
      return { type: 'group', key, required, children: childrenOf(schema) };
    }
    case 'array': {
      const items = schema.items ?? {};
      if (items.enum) return { type: 'multi', key, required, options: items.enum.map(String) };
      if (items.type === 'object')
        return {
          type: 'rows',
          key,
          required,
          item: childrenOf(items),
          ...(schema.maxItems !== undefined ? { maxItems: schema.maxItems } : {}),
        };
      return { type: 'lines', key, required };
    }
    default:
      throw new Error(`form-model: no form field for schema type ${String(schema.type)} at "${key}"`);
  }
}

function childrenOf(schema: JsonSchema): FieldNode[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([key, child]) => nodeFor(key, child, required.has(key)));
}

const cache = new Map<TaskKind, readonly FieldNode[]>();

/** The fields of a task kind's form, top level first. */
export function formModel(kind: TaskKind): readonly FieldNode[] {
  let model = cache.get(kind);
  if (!model) {
    const schema = z.toJSONSchema(answerSchemas[kind], { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    model = childrenOf(schema);
    cache.set(kind, model);
  }
  return model;
}

export const joinPath = (prefix: string, key: string | number): string =>
  prefix === '' ? String(key) : `${prefix}.${key}`;

/** The HTML id of a field (its first input for radios and checklists); paths are schema keys, so this is safe. */
export const fieldId = (path: string): string => `f-${path.replace(/\./g, '__')}`;

/** Reads `a.b.0.c` out of a nested value. */
export function valueAt(value: unknown, path: string): unknown {
  if (path === '') return value;
  let current = value;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/**
 * The deepest field of the form an error path points into: an issue about `dataCategories.1` belongs next to
 * the checklist `dataCategories`; one about the whole answer has path "".
 */
export function resolveField(
  model: readonly FieldNode[],
  path: readonly PropertyKey[],
): { path: string; node?: FieldNode } {
  let nodes: readonly FieldNode[] = model;
  let resolved = '';
  let found: FieldNode | undefined;
  for (let i = 0; i < path.length; i++) {
    const node = nodes.find((n) => n.key === String(path[i]));
    if (!node) break;
    resolved = joinPath(resolved, node.key);
    found = node;
    if (node.type === 'group') nodes = node.children;
    else if (node.type === 'rows' && typeof path[i + 1] === 'number') {
      resolved = joinPath(resolved, path[i + 1] as number);
      nodes = node.item;
      i += 1;
    } else break;
  }
  return { path: resolved, ...(found ? { node: found } : {}) };
}
