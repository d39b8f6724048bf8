import { describe, expect, it } from 'vitest';
import { configSchema } from '../../domain/config';
import { describeIssues } from '../../domain/errors';
import { directory as testDirectory } from '../support/people';

const HOUR = 3_600_000;

describe('config validation names the bad key', () => {
  const valid = { organisation: { name: 'X' }, smtp: { from: 'x <x@example.org>' }, directory: testDirectory };

  it('fills defaults: Dutch, 72 h reminders at 24/48/60/70 h', () => {
    const config = configSchema.parse(valid);
    expect(config.language).toBe('nl');
    expect(config.timing.notificationReminders).toEqual([24, 48, 60, 70].map((h) => h * HOUR));
    expect(config.timing.containmentRecheck).toBe(4 * HOUR);
    expect(config.timing.evaluationAfter).toBe(14 * 24 * HOUR);
    expect(config.timing.watchEvery).toBe(60_000);
  });

  it("fills the thresholds of people with their documented defaults, and takes the organisation's own", () => {
    expect(configSchema.parse(valid).thresholds).toEqual({
      claimsPeople: 100,
      publicAttentionPeople: 1_000,
      publicCommunicationPeople: 100_000,
      highRiskPeople: 10_000,
      shortOutageHours: 24,
    });
    expect(configSchema.parse({ ...valid, thresholds: { publicAttentionPeople: 250 } }).thresholds).toMatchObject({
      claimsPeople: 100,
      publicAttentionPeople: 250,
    });
  });

  it.each([
    [{ ...valid, smtp: { from: 'x', port: 0 } }, /smtp\.port: Too small.*; smtp\.from: is required/],
    [{ ...valid, timing: { triageDue: '4 hours' } }, /timing\.triageDue: "4 hours" is not a duration/],
    [
      { ...valid, timing: { dataSubjectNotificationDue: '48h' } },
      /timing\.dataSubjectNotificationDue: has moved: set organisation\.profile\.dataSubjectTarget instead/,
    ],
    [{ ...valid, timing: { watchEvery: '500ms' } }, /timing\.watchEvery: must be between 1s and 1h/],
    [{ ...valid, timing: { watchEvery: '2h' } }, /timing\.watchEvery: must be between 1s and 1h/],
    [{ ...valid, timing: { watchEvery: 'often' } }, /timing\.watchEvery: "often" is not a duration/],
    [{ ...valid, colour: 'red' }, /colour: is not a known field/],
    [{ ...valid, register: { retentionYears: 0 } }, /register\.retentionYears: must be at least 1 year/],
    [{ ...valid, register: { retentionYears: 2.5 } }, /register\.retentionYears: must be a whole number of years/],
    [{ ...valid, thresholds: { claimsPeople: 0 } }, /thresholds\.claimsPeople: must be at least 1/],
    [{ ...valid, thresholds: { shortOutageHours: 0 } }, /thresholds\.shortOutageHours: must be more than 0 hours/],
    [{ ...valid, thresholds: { highRiskPeople: 2.5 } }, /thresholds\.highRiskPeople: /],
    [
      { ...valid, thresholds: { publicAttentionPeople: 'many' } },
      /thresholds\.publicAttentionPeople: must be a number of people/,
    ],
    [
      { ...valid, thresholds: { publicCommunicationPeople: 1.5 } },
      /thresholds\.publicCommunicationPeople: must be a whole number/,
    ],
    [{ ...valid, thresholds: { pressPeople: 10 } }, /thresholds\.pressPeople: is not a known field/],
    [
      { ...valid, directory: [{ name: 'A', email: 'not-an-email', roles: ['fg'] }] },
      /directory\.0\.email: must be an email address/,
    ],
    [{ ...valid, directory: [{ name: 'A', email: 'a@x.nl', roles: ['wizard'] }] }, /directory\.0\.roles\.0: /],
    [
      { ...valid, directory: testDirectory.filter((p) => !p.roles.includes('ict')) },
      /directory: nobody holds the role "ict"/,
    ],
    [
      {
        ...valid,
        directory: [...testDirectory, { name: 'Z', email: 'z@x.nl', roles: ['legal'], deputy: 'ghost@x.nl' }],
      },
      /directory\.7\.deputy: deputy ghost@x.nl is not in the directory/,
    ],
  ])('refuses %#', (input, message) => {
    const result = configSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(describeIssues(result.error!)).toMatch(message);
  });
});
