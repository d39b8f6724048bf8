import { describe, expect, it } from 'vitest';
import { describeIssues } from '../../domain/errors';
import { breachSignalSchema } from '../../domain/signal';

describe('signal schema', () => {
  it('names each bad field', () => {
    const result = breachSignalSchema.safeParse({
      source: '',
      eventId: 'e',
      summary: 's',
      observedAt: 'yesterday',
      reporter: { email: 'nope' },
    });
    expect(describeIssues(result.error!)).toMatch(
      /^source: .*; observedAt: must be an ISO 8601 date-time.*; reporter\.email: must be an email address$/,
    );
  });
});
