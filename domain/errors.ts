import type { z } from 'zod';

/** "facts.awareAt: Invalid ISO datetime" — every issue names the field it is about. */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  const name = (path: readonly PropertyKey[]) => [prefix, ...path.map(String)].filter(Boolean).join('.') || '(input)';
  return error.issues
    .flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => `${name([...issue.path, key])}: is not a known field`)
        : [`${name(issue.path)}: ${issue.message}`],
    )
    .join('; ');
}

/** Thrown for input a person or system got wrong; the message names the field and the problem. */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
}

/** Parses with a schema, throwing an InvalidInputError that names each bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidInputError(`invalid ${what}: ${describeIssues(result.error)}`);
  return result.data;
}
