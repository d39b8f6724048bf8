import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { factsSchema } from '../../../domain/facts';
import { runLekdicht } from '../../support/cli';

/** Runs the real `lekdicht` bin as a user would. */
function lekdicht(args: string[]) {
  // An address nothing listens on: `assess` must not need Temporal at all.
  return runLekdicht(args, { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1' });
}

interface Assessment {
  severity: number;
  band: string;
  notifyAuthority: boolean;
  notifyDataSubjects: boolean;
  publicCommunication: boolean;
  reasons: string[];
  factors: { cb: { parts: unknown[] }; weighedAfter: string[] };
}
const parse = (stdout: string) => JSON.parse(stdout) as Assessment;

const example = (name: string) => join('examples', 'facts', name);

describe('lekdicht assess (ENISA 2013 severity and the art. 33/34 suggestion, without a server)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lekdicht-assess-'));
  });

  it('ships only example facts that are valid against the schema', () => {
    const files = readdirSync(join('examples', 'facts')).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files)
      expect(factsSchema.safeParse(JSON.parse(readFileSync(example(file), 'utf8'))).error, file).toBeUndefined();
  });

  it.each([
    // BSN sensitive (4) × maximum (1) + limited confidentiality (0.25) = 4.25: very high (SE ≥ 4).
    // A trusted recipient who deleted it, but BSNs: notified (EDPB 01/2021 case 9 holds only without sensitive data);
    // not a high risk for the people, the recipient being bound to confidentiality.
    ['misdirected-email-bsn.json', 4.25, 'very-high', true, false, false],
    // financial (3) × maximum (1) + significant confidentiality (0.5) + limited availability (0.25) + malicious intent (0.5) = 4.25.
    ['ransomware-exfiltration.json', 4.25, 'very-high', true, true, false],
    // special (4) × maximum (1) + 0 = 4, but encrypted with the key safe and nothing lost: unlikely to result in a risk, so no high one (art. 34(1)).
    ['lost-encrypted-laptop.json', 4, 'very-high', false, false, false],
  ] as const)(
    '%s --json: SE %s (%s), authority %s, data subjects %s, public %s',
    async (file, severity, band, notifyAuthority, notifyDataSubjects, publicCommunication) => {
      const run = await lekdicht(['assess', '--file', example(file), '--json']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const out = parse(run.stdout);
      expect(out).toMatchObject({ severity, band, notifyAuthority, notifyDataSubjects, publicCommunication });
      expect(Object.keys(out)).toEqual([
        'severity',
        'band',
        'notifyAuthority',
        'notifyDataSubjects',
        'publicCommunication',
        'reasons',
        'factors',
      ]);
      expect(out.reasons.length).toBeGreaterThan(0);
      for (const reason of out.reasons) expect(typeof reason).toBe('string');
      expect(out.factors.cb.parts).toHaveLength(4);
    },
  );

  it('names the articles in the reasons of the examples', async () => {
    const email = parse((await lekdicht(['assess', '--file', example('misdirected-email-bsn.json'), '--json'])).stdout);
    expect(email.reasons.join('\n')).toMatch(/Art\. 33\(1\): notify the authority .* within 72 hours/);
    expect(email.reasons.join('\n')).toMatch(
      /Art\. 33\(1\): .*a trusted recipient bound to confidentiality had the data, but it holds national identification numbers/,
    );
    expect(email.reasons.join('\n')).toMatch(
      /Art\. 34\(1\): .*the only recipient is trusted and bound to confidentiality/,
    );
    const laptop = parse(
      (await lekdicht(['assess', '--file', example('lost-encrypted-laptop.json'), '--json'])).stdout,
    );
    // Encrypted with the key safe: unlikely to result in a risk (art. 33), so art. 34 says no high risk either,
    // never that the risk "would be high" beside it (domain/reason-check.ts).
    expect(laptop.reasons.join('\n')).toMatch(/Art\. 33\(1\): .*unlikely to result in a risk: the data was encrypted/);
    expect(laptop.reasons.join('\n')).toMatch(/Art\. 34\(1\): .*cannot result in a high one/);
    expect(laptop.reasons.join('\n')).not.toMatch(/would be high/);
    expect(laptop.factors.weighedAfter.join('\n')).toMatch(/encrypted with the key safe/);
  });

  it('prints a readable text without --json', async () => {
    const run = await lekdicht(['assess', '--file', example('ransomware-exfiltration.json')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Severity 4\.25 — very high \(ENISA 2013: SE = DPC × EI \+ CB = 3 × 1 \+ 1\.25\)/);
    expect(run.stdout).toMatch(/malicious-intent \+0\.5:/);
    expect(run.stdout).toMatch(/About 12,000 people are affected: a large number weighs towards notifying\./);
    expect(run.stdout).toMatch(/notify the authority \(AP\): yes\n {2}inform the people affected: yes\n/);
  });

  it('suggests a public communication above --public-threshold', async () => {
    const run = await lekdicht([
      'assess',
      '--file',
      example('ransomware-exfiltration.json'),
      '--public-threshold',
      '10000',
      '--json',
    ]);
    expect(run.code).toBe(0);
    expect(parse(run.stdout)).toMatchObject({ notifyDataSubjects: true, publicCommunication: true });
    const bad = await lekdicht([
      'assess',
      '--file',
      example('ransomware-exfiltration.json'),
      '--public-threshold',
      'many',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--public-threshold: "many" is not a whole number/);
  });

  it('refuses invalid facts with exit code 2 and a message naming each field', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({ dataCategories: ['bsn'], approxPeople: -1, context: { adjustment: 1 }, colour: 'red' }),
    );
    const run = await lekdicht(['assess', '--file', file, '--json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^lekdicht: invalid facts: /);
    expect(run.stderr).toMatch(/dataCategories\.0: must be one of: ordinary, special/);
    expect(run.stderr).toMatch(/approxPeople: must be 0 or more/);
    expect(run.stderr).toMatch(/context\.reason: is required when the adjustment is not 0/);
    expect(run.stderr).toMatch(/colour: is not a known field/);
  });

  it('refuses a missing file or broken JSON with exit code 2', async () => {
    const missing = await lekdicht(['assess', '--file', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--file: cannot read .*nope\.json: ENOENT/);
    writeFileSync(join(dir, 'broken.json'), '{ "approxPeople": ');
    const broken = await lekdicht(['assess', '--file', join(dir, 'broken.json')]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/--file: not valid JSON/);
  });
});
