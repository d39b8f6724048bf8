import { describe, expect, it } from 'vitest';
import { directorySchema, escalationFor, mayActFor, personSchema } from '../../domain/roles';
import { directory as testDirectory, CISO, FG, FG_DEPUTY, ICT } from '../support/people';

const directory = directorySchema.parse(testDirectory);

describe('roles and escalation', () => {
  it('lets holders of the role and their deputies act, nobody else', () => {
    expect(mayActFor(directory, 'fg', FG)).toBe(true);
    expect(mayActFor(directory, 'ciso', FG)).toBe(true); // FG deputises for the CISO
    expect(mayActFor(directory, 'ict', CISO)).toBe(true);
    expect(mayActFor(directory, 'fg', ICT)).toBe(false);
    expect(mayActFor(directory, 'fg', 'FG@Test.Example')).toBe(true);
  });

  it('escalates to the deputies of the role holders, else to the FG', () => {
    expect(escalationFor(directory, 'ict').map((p) => p.email)).toEqual([CISO]);
    expect(
      escalationFor(directory, 'fg')
        .map((p) => p.email)
        .sort(),
    ).toEqual([FG, FG_DEPUTY].sort());
    expect(
      escalationFor(directory, 'legal')
        .map((p) => p.email)
        .sort(),
    ).toEqual([FG, FG_DEPUTY].sort());
  });
});

describe('a person in the directory: function and phone for the AP form', () => {
  const fg = { name: 'Fenna FG', email: 'FG@test.example', roles: ['fg'] };
  const issues = (person: Record<string, unknown>) => {
    const parsed = personSchema.safeParse(person);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('keeps both when given, trimmed, and needs neither', () => {
    expect(
      personSchema.parse({ ...fg, function: ' Functionaris gegevensbescherming ', phone: ' +31 70 123 4567 ' }),
    ).toEqual({
      name: 'Fenna FG',
      email: 'fg@test.example',
      roles: ['fg'],
      function: 'Functionaris gegevensbescherming',
      phone: '+31 70 123 4567',
    });
    expect(personSchema.parse(fg)).not.toHaveProperty('function');
    expect(personSchema.parse(fg)).not.toHaveProperty('phone');
    for (const phone of ['070-1234567', '+31 (0)70 123 45 67', '(070) 123 4567', '0612345678'])
      expect(issues({ ...fg, phone }), phone).toEqual([]);
  });

  it('refuses what is not a phone number or not a function, naming the key', () => {
    for (const phone of ['bel de receptie', '+31 70 123 4567 ext. 5', '12345', '++31 70 123 4567', '', 'x'.repeat(31)])
      expect(issues({ ...fg, phone }), phone).toEqual([
        expect.stringMatching(/^phone: must be a phone number of at least 6 digits/),
      ]);
    expect(issues({ ...fg, phone: 317012345 })).toEqual([expect.stringMatching(/^phone: /)]);
    expect(issues({ ...fg, function: '  ' })).toEqual(['function: is empty: leave it out when there is none']);
    expect(issues({ ...fg, function: 'x'.repeat(201) })).toEqual(['function: is longer than 200 characters']);
    // A typo of either key is refused, not dropped (the person schema is strict).
    expect(issues({ ...fg, telephone: '070-1234567' })).toHaveLength(1);
  });
});
