import type { Answer } from '../../domain/tasks';

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

/** Valid answers for every task, as a responder would give them. */
export const answers = {
  triageBreach: (awareAt = hoursAgo(2)): Answer<'triage'> => ({
    isPersonalDataBreach: true,
    awareAt,
    reasoning: 'A spreadsheet with client records was emailed to the wrong recipient.',
  }),
  triageNotABreach: (): Answer<'triage'> => ({
    isPersonalDataBreach: false,
    reasoning: 'Port scan on the firewall; no personal data was reachable.',
  }),
  firstPicture: (): Answer<'first-picture'> => ({
    location: 'outside',
    systems: ['mail'],
    dataCategories: ['ordinary', 'national-id'],
    approxPeople: 120,
    approxRecords: 120,
    cause: 'wrong-recipient',
    intentional: false,
    stillLeaking: true,
    exfiltration: 'excluded',
    recipients: 'unknown',
    impact: { confidentiality: 'significant', integrity: 'none', availability: 'none' },
    summary: 'Email with an attachment sent to an external address by mistake.',
  }),
  containment: (stillLeaking: boolean): Answer<'containment'> => ({
    measures: {
      'secure-evidence': { status: 'done', note: 'Mailbox export and message trace saved' },
      'controlled-shutdown': { status: 'not-applicable', note: 'Only one mailbox involved' },
      'disconnect-network': { status: 'not-applicable', note: 'No compromised device' },
      'adjust-firewall': { status: 'not-applicable', note: 'Not an intrusion' },
      'block-accounts': { status: 'done' },
      'change-passwords': { status: stillLeaking ? 'pending' : 'done' },
      'agree-with-ict': { status: 'done', note: 'Recall requested; recipient asked to delete' },
    },
    stillLeaking,
    note: stillLeaking ? 'Recipient not yet reached.' : 'Recipient confirmed deletion.',
  }),
  confirmContainment: (contained = true): Answer<'containment-confirmation'> => ({
    contained,
    note: contained ? 'Recipient confirmed deletion in writing; accounts blocked.' : 'No written confirmation yet.',
  }),
  impact: (): Answer<'impact'> => ({
    dataLeaked: 'Names, addresses and BSNs of 120 clients.',
    impactOnPeople: 'Risk of identity fraud.',
    impactOnOrganisation: 'Reputational damage; extra work for the KCC.',
    riskToPeople: 'high',
  }),
  decision: (
    notifyAuthority = true,
    notifyDataSubjects = true,
    dataSubjectsBy: Answer<'notification-decision'>['dataSubjectsBy'] = 'own-channel',
  ): Answer<'notification-decision'> => ({
    notifyAuthority,
    notifyDataSubjects,
    dataSubjectsBy,
    justification: 'BSNs leaked: high risk of identity fraud.',
  }),
  authorityNotification: (extra: Partial<Answer<'authority-notification'>> = {}): Answer<'authority-notification'> => ({
    notifiedAt: new Date().toISOString(),
    reference: 'AP-2026-12345',
    ...extra,
  }),
  dataSubjectNotification: (): Answer<'data-subject-notification'> => ({
    notifiedAt: new Date().toISOString(),
    channel: 'letter',
    approxRecipients: 120,
  }),
  aftercare: (): Answer<'aftercare'> => ({
    contactPoint: 'KCC, 14 020, datalek@voorbeeld.nl',
    adviceGiven: 'Watch for phishing; report misuse of your BSN to the central reporting point.',
  }),
  contactPoint: (): Answer<'contact-point'> => ({
    contactPoint: 'Klantcontactcentrum, telefoon 14 020 (werkdagen 8-17 uur), datalek@voorbeeld.nl',
  }),
  letter: (
    nature = 'Een e-mail met uw gegevens is per ongeluk naar een verkeerde ontvanger gestuurd.',
  ): Answer<'letter'> => ({
    nature,
    consequences: 'Iemand zou uw gegevens kunnen misbruiken, bijvoorbeeld om zich als u voor te doen.',
    measures: 'De ontvanger heeft de e-mail verwijderd. Wij controleren voortaan elk adres voor verzending.',
    advice: ['Wees alert op berichten die om uw gegevens vragen.'],
  }),
  approveLetter: (): Answer<'letter-approval'> => ({ approved: true }),
  /** The three steps before any letter goes (workflows/letter-approval.ts): contact point, letter, approval. */
  letterSteps: (kcc: string, comms: string, fg: string) =>
    [
      ['contact-point', kcc, answers.contactPoint()],
      ['letter', comms, answers.letter()],
      ['letter-approval', fg, answers.approveLetter()],
    ] as const,
  followUp: (furtherActionNeeded = false): Answer<'aftercare-follow-up'> => ({
    questionsReceived: 4,
    harmReported: false,
    furtherActionNeeded,
  }),
  evaluation: (): Answer<'evaluation'> => ({
    lessonsLearned: 'Autocomplete in the mail client suggested an external address.',
    improvementActions: [
      {
        description: 'Disable external autocomplete',
        owner: 'ict@test.example',
        due: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      },
    ],
    approachStillCurrent: true,
  }),
};

let counter = 0;
/** A fresh signal, unique per call unless an eventId is given. */
export function signal(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    source: 'dlp',
    eventId: `evt-${process.pid}-${Date.now()}-${counter}`,
    summary: 'Outgoing email with 120 BSNs blocked too late by DLP',
    reporter: { name: 'Jan Melder', email: 'jan@test.example' },
    ...overrides,
  };
}
