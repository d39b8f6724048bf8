import { describe, expect, it } from 'vitest';
import { directorySchema, escalationFor, mayActFor } from '../../domain/roles';
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
