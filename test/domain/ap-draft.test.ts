import { describe, expect, it } from 'vitest';
import type { CaseView } from '../../domain/case';
import {
  apDraft,
  breachNature,
  draftContext,
  renderApDraftMarkdown,
  UNKNOWN_MARK,
  type DraftContext,
  type DraftSection,
} from '../../domain/ap-draft';
import { BAND_LABELS } from '../../domain/labels';
import { formatNumber } from '../../domain/numbers';
import type { Task, TaskKind } from '../../domain/tasks';
import { assessSeverity } from '../../domain/severity';
import { suggestNotification } from '../../domain/decision';
import type { BreachFacts } from '../../domain/facts';
import { englishSentences } from '../support/english';

/** The AP's form is Dutch: the draft's values must be too, and what people were told comes from the decision's data. */

const facts: BreachFacts = {
  dataCategories: ['ordinary', 'national-id'],
  approxPeople: 120,
  cause: 'wrong-recipient',
  impact: { confidentiality: 'significant', integrity: 'none', availability: 'limited' },
};
const severity = assessSeverity(facts);

function view(extra: Partial<CaseView> = {}): CaseView {
  return {
    breachId: 'breach-ap',
    phase: 'notification',
    outcome: 'breach',
    openedAt: '2026-12-01T08:00:00Z',
    reports: [{ source: 'dlp', eventId: 'e', receivedAt: '2026-12-01T08:00:00Z', duplicate: false, summary: 'x' }],
    facts: {
      isPersonalDataBreach: true,
      awareAt: '2026-12-01T09:30:00Z',
      known: facts,
      impact: { dataLeaked: 'x', impactOnPeople: 'x', impactOnOrganisation: 'x', riskToPeople: 'high' },
    },
    assessment: { severity, suggestion: suggestNotification(facts, severity) },
    tasks: [],
    decisions: [],
    deadlines: [],
    notifications: [],
    timeline: [],
    ...extra,
  };
}

const field = (v: CaseView, label: string) =>
  apDraft(v, { organisation: 'Testgemeente' })
    .flatMap((s) => s.fields)
    .find((f) => f.label === label)?.value;

describe('the AP notification draft', () => {
  it('gives times, losses, the risk and the severity in Dutch', () => {
    const v = view();
    expect(field(v, 'Moment van ontdekking (bewust van het datalek)')).toBe('01-12-2026 10:30');
    expect(field(v, 'Gevolgen voor vertrouwelijkheid, integriteit en beschikbaarheid')).toBe(
      'vertrouwelijkheid: aanzienlijk, integriteit: geen, beschikbaarheid: beperkt',
    );
    expect(field(v, 'Ingeschat risico voor betrokkenen')).toBe('hoog risico');
    expect(field(v, 'Ernst (ENISA)')).toMatch(/^\d+(,\d+)? \((laag|gemiddeld|hoog|zeer hoog)\)$/);
    const values = apDraft(v, { organisation: 'Testgemeente' })
      .flatMap((s) => s.fields)
      .map((f) => f.value ?? '');
    expect(englishSentences(values.join('\n'))).toEqual([]);
  });

  it('reads from the decision whether people are told, with the FG justification as the reason', () => {
    const decided = view({
      decisions: [
        {
          kind: 'notification',
          by: 'fg@test.example',
          at: '2026-12-01T12:00:00Z',
          // The English summary says otherwise: the data decides.
          summary: 'Notify the authority; inform the data subjects',
          notifyAuthority: true,
          notifyDataSubjects: false,
          justification: 'De ontvanger is een collega-instelling met geheimhoudingsplicht.',
        },
      ],
    });
    expect(field(decided, 'Zijn de betrokkenen geïnformeerd?')).toBe('nee');
    expect(field(decided, 'Zo nee, waarom niet?')).toBe(
      'De ontvanger is een collega-instelling met geheimhoudingsplicht.',
    );
    const told = view({
      notifications: [
        { to: 'data-subjects', at: '2026-12-02T10:00:00Z', recordedBy: 'x', late: false, channel: 'email' },
      ],
    });
    expect(field(told, 'Zijn de betrokkenen geïnformeerd?')).toBe('ja, op 02-12-2026 11:00 per e-mail');
  });
});

/** Every section as { label: value }, to compare a whole draft at once. */
const byLabel = (sections: DraftSection[]) =>
  Object.fromEntries(sections.map((s) => [s.id, Object.fromEntries(s.fields.map((f) => [f.label, f.value]))]));

const CONTACT = {
  organisation: 'Testgemeente',
  contact: {
    name: 'Fenna FG',
    email: 'fg@test.example',
    function: 'Functionaris gegevensbescherming',
    phone: '+31 70 123 4567',
  },
};

/** A case with every facts v2 field, contained, decided, published, reported to the AP and under NIS2, evaluated. */
const everything: BreachFacts = {
  summary: 'Een lijst met cliëntgegevens is naar twee verkeerde ontvangers gemaild.',
  breachType: 'misdirected-email',
  startedAt: '2026-11-30T15:05:00+01:00',
  endedAt: '2026-12-01T09:00:00Z',
  location: 'outside',
  systems: ['Outlook'],
  dataCategories: ['ordinary', 'special', 'behavioural', 'traffic', 'identity-document'],
  approxPeople: 15,
  approxRecords: 16,
  peoplePerCategory: { special: 2, 'identity-document': 1 },
  subjects: { kinds: ['patients', 'employees'], vulnerable: true, sector: 'health' },
  cause: 'wrong-recipient',
  intentional: false,
  stillLeaking: false,
  exfiltration: 'excluded',
  recipients: 'known-untrusted',
  recipientCount: 2,
  recovery: 'deleted-confirmed',
  impact: { confidentiality: 'significant', integrity: 'limited', availability: 'limited' },
  protection: {
    encrypted: false,
    hashed: true,
    keySafe: true,
    strength: 'state-of-the-art',
    covers: ['identity-document'],
  },
  backup: { available: true, kind: 'partial', restoreHours: 6 },
  outage: { hours: 12.5, consequences: ['care-delayed', 'payments-delayed'] },
  crossBorder: true,
  leadAuthority: 'Datatilsynet (Denemarken)',
  processorInvolved: false,
};

function fullView(): CaseView {
  const severity = assessSeverity(everything);
  const measure = (status: 'done' | 'pending' | 'not-applicable', note?: string) => ({
    status,
    ...(note ? { note } : {}),
  });
  const task = (kind: TaskKind, answer: unknown): Task => ({
    id: kind,
    kind,
    role: 'fg',
    title: kind,
    playbook: 'notification',
    workflowId: 'breach-ap',
    createdAt: '2026-12-01T10:00:00Z',
    due: '2026-12-02T10:00:00Z',
    status: 'done',
    overdue: false,
    completedBy: 'fg@test.example',
    completedAt: '2026-12-01T12:00:00Z',
    answer,
  });
  return view({
    facts: {
      isPersonalDataBreach: true,
      awareAt: '2026-12-01T09:30:00Z',
      known: everything,
      containment: {
        rounds: 1,
        containedAt: '2026-12-01T11:00:00Z',
        measures: {
          'secure-evidence': measure('done'),
          'controlled-shutdown': measure('not-applicable', 'geen systeem getroffen'),
          'disconnect-network': measure('not-applicable', 'geen apparaat'),
          'adjust-firewall': measure('not-applicable', 'geen inbraak'),
          'block-accounts': measure('done'),
          'change-passwords': measure('pending'),
          'agree-with-ict': measure('done', 'ontvangers gevraagd te verwijderen'),
        },
      },
      impact: {
        dataLeaked: 'x',
        impactOnPeople: 'Kans op misbruik van de gegevens.',
        impactOnOrganisation: 'x',
        riskToPeople: 'high',
      },
      evaluation: {
        lessonsLearned: 'x',
        improvementActions: [
          { description: 'Adressen automatisch aanvullen uitzetten', owner: 'ict@test.example', due: 'x', doneAt: 'x' },
        ],
        approachStillCurrent: true,
      },
    },
    assessment: { severity, suggestion: suggestNotification(everything, severity) },
    decisions: [
      {
        kind: 'notification',
        by: 'fg@test.example',
        at: '2026-12-01T12:00:00Z',
        summary: 'Authority: notify; data subjects: inform (as suggested). x',
        notifyAuthority: true,
        notifyDataSubjects: true,
        justification: 'Hoog risico.',
      },
    ],
    tasks: [
      task('notification-decision', {
        notifyAuthority: true,
        notifyDataSubjects: true,
        dataSubjectsBy: 'public-communication',
        justification: 'Hoog risico.',
      }),
      task('public-communication', {
        publishedAt: '2026-12-02T10:00:00Z',
        channel: 'de website van de gemeente',
        reference: 'https://voorbeeld.nl/datalek',
      }),
    ],
    notifications: [
      {
        to: 'authority',
        regime: 'gdpr',
        phase: 'initial',
        at: '2026-12-01T13:00:00Z',
        recordedBy: 'fg@test.example',
        late: false,
        reference: 'AP-2026-1',
      },
      {
        to: 'authority',
        regime: 'nis2',
        phase: 'early-warning',
        at: '2026-12-01T14:00:00Z',
        recordedBy: 'fg@test.example',
        late: false,
        reference: 'CSIRT-7',
      },
      {
        to: 'data-subjects',
        at: '2026-12-02T10:00:00Z',
        recordedBy: 'comms@test.example',
        late: false,
        channel: 'public-communication',
        reference: 'https://voorbeeld.nl/datalek',
      },
    ],
  });
}

describe('the AP draft complete: every section of the form from the structured case', () => {
  it('fills every section with the exact Dutch values from a case with every facts v2 field', () => {
    const v = fullView();
    const severity = `${formatNumber(v.assessment!.severity.score, 'nl')} (${BAND_LABELS[v.assessment!.severity.band].nl.toLowerCase()})`;
    expect(byLabel(apDraft(v, CONTACT))).toEqual({
      contact: {
        Organisatie: 'Testgemeente',
        'Functionaris gegevensbescherming / contactpersoon': 'Fenna FG <fg@test.example>',
        'Naam contactpersoon': 'Fenna FG',
        'Functie contactpersoon': 'Functionaris gegevensbescherming',
        'Telefoonnummer contactpersoon': '+31 70 123 4567',
        'E-mailadres contactpersoon': 'fg@test.example',
        'Verwerker betrokken': 'nee',
        'Eerdere melding (kenmerk AP)': 'AP-2026-1',
      },
      timeline: {
        'Signaal ontvangen': '01-12-2026 09:00',
        'Begin van het datalek': '30-11-2026 15:05',
        'Einde van het datalek': '01-12-2026 10:00',
        'Moment van ontdekking (bewust van het datalek)': '01-12-2026 10:30',
        'Lek gedicht op': '01-12-2026 12:00',
        'Duurt het datalek nog voort?': 'nee',
      },
      nature: {
        Samenvatting: 'Een lijst met cliëntgegevens is naar twee verkeerde ontvangers gemaild.',
        'Soort incident': 'e-mail naar een verkeerde ontvanger',
        'Aard van de inbreuk': 'lezen of kopiëren; wijzigen; verwijderen of vernietigen (ook: onbeschikbaar maken)',
        'Wat is er met de gegevens gebeurd?':
          'ingezien of verstrekt aan onbevoegden; gewijzigd; verwijderd of niet beschikbaar',
        Oorzaak: 'verkeerde ontvanger',
        Opzettelijk: 'nee',
        'Betrokken systemen': 'Outlook',
        'Wie heeft de gegevens (kunnen) inzien?': 'bekende ontvangers zonder geheimhoudingsplicht',
        'Aantal ontvangers': '2',
      },
      data: {
        'Soorten persoonsgegevens':
          'gewone persoonsgegevens (naam, adres, contactgegevens); bijzondere persoonsgegevens (art. 9 AVG) (2 betrokkenen); gedragsgegevens (aankopen, voorkeuren, surfgedrag); verkeersgegevens (wie wie belde of berichtte, en wanneer); kopie of nummer van een identiteitsbewijs (paspoort, ID-kaart, rijbewijs) (1 betrokkene)',
        'Bijzondere persoonsgegevens': 'ja',
        'Aantal betrokkenen (bij benadering)': '15',
        'Aantal records (bij benadering)': '16',
        'Groep betrokkenen': 'patiënten, medewerkers',
        'Kwetsbare groep (zoals patiënten, kinderen, cliënten)': 'ja',
        Sector: 'zorg',
      },
      'measures-before': {
        Versleuteld: 'nee',
        Gehasht: 'ja',
        'Onbegrijpelijk of ontoegankelijk gemaakt': 'gedeeltelijk',
        'Welke gegevens zijn zo beschermd?':
          'kopie of nummer van een identiteitsbewijs (paspoort, ID-kaart, rijbewijs)',
        'Volgens de stand van de techniek': 'ja',
        'Sleutel buiten bereik van onbevoegden': 'ja',
      },
      consequences: {
        'Gevolgen voor vertrouwelijkheid, integriteit en beschikbaarheid':
          'vertrouwelijkheid: aanzienlijk, integriteit: beperkt, beschikbaarheid: beperkt',
        // The identity documents were hashed with the salt safe: no identity fraud from them.
        'Soort schade voor betrokkenen':
          'stigmatisering of uitsluiting; schade aan de gezondheid; blootstelling aan spam of phishing; reputatieschade; financieel verlies; verlies van controle over de eigen persoonsgegevens (profilering, volgen)',
        'Duur van de onbeschikbaarheid': '12,5 uur',
        'Gevolgen van de onbeschikbaarheid': 'zorg uitgesteld; betalingen vertraagd',
        'Waarschijnlijke gevolgen voor betrokkenen': 'Kans op misbruik van de gegevens.',
        'Ingeschat risico voor betrokkenen': 'hoog risico',
        'Ernst (ENISA)': severity,
      },
      'measures-after': {
        'Genomen maatregelen':
          'bewijs veiliggesteld; gebruikersaccounts geblokkeerd; met ICT afgesproken hoe het lek te stoppen',
        'Stand van de inperkende maatregelen':
          'bewijs veiligstellen: gedaan; systeem beheerst uitschakelen: niet van toepassing (geen systeem getroffen); loskoppelen van het netwerk: niet van toepassing (geen apparaat); firewall aanpassen: niet van toepassing (geen inbraak); gebruikersaccounts blokkeren: gedaan; wachtwoorden wijzigen: nog niet gedaan; met ICT afspreken hoe het lek te stoppen: gedaan (ontvangers gevraagd te verwijderen)',
        'Zijn de gegevens terug?': 'ja, verwijderd door de ontvanger (schriftelijk bevestigd)',
        'Herstel uit back-up': 'ja, gedeeltelijk hersteld, een deel van de gegevens is verloren, hersteltijd 6 uur',
        'Voorgenomen verbeteringen': 'Adressen automatisch aanvullen uitzetten',
      },
      'data-subjects': {
        'Zijn de betrokkenen geïnformeerd?': 'ja, op 02-12-2026 11:00 per openbare mededeling',
        'Wanneer geïnformeerd': '02-12-2026 11:00',
        'Hoe geïnformeerd': 'openbare mededeling',
        'Openbare mededeling (art. 34 lid 3 onder c AVG)':
          'ja, gepubliceerd op 02-12-2026 11:00 via de website van de gemeente (https://voorbeeld.nl/datalek)',
        'Zo nee, waarom niet?': 'n.v.t.',
      },
      'cross-border': {
        'Betrokkenen of vestigingen in andere EU-landen': 'ja',
        'Leidende toezichthouder': 'Datatilsynet (Denemarken)',
        'Gemeld bij andere toezichthouders (NIS2/DORA)': 'ja',
        'Andere toezichthouders': 'NIS2: het CSIRT of de sectorale toezichthouder, op 01-12-2026 15:00',
      },
      'follow-up': {
        'Soort melding': 'aanvulling op de melding van 01-12-2026 14:00 (kenmerk AP-2026-1)',
        'Is de melding volledig?': 'ja, de melding is volledig',
      },
    });
    expect(
      englishSentences(
        Object.values(byLabel(apDraft(v, CONTACT)))
          .flatMap(Object.values)
          .join('\n'),
      ),
    ).toEqual([]);
  });

  it('marks every field unknown that the case does not know, and invents nothing', () => {
    const bare: CaseView = {
      breachId: 'breach-bare',
      phase: 'triage',
      openedAt: '2026-12-01T08:00:00Z',
      reports: [],
      facts: {},
      tasks: [],
      decisions: [],
      deadlines: [],
      notifications: [],
      timeline: [],
    };
    const sections = apDraft(bare, { organisation: 'Testgemeente' });
    const known = sections.flatMap((s) => s.fields.filter((f) => f.value !== null).map((f) => [f.label, f.value]));
    // Only what is true of any case: who the organisation is, that the AP has nothing yet, that more follows.
    expect(known).toEqual([
      ['Organisatie', 'Testgemeente'],
      ['Eerdere melding (kenmerk AP)', 'nee, dit is de eerste melding'],
      ['Soort melding', 'eerste melding'],
      [
        'Is de melding volledig?',
        expect.stringMatching(
          /^nee, er volgt een aanvulling \(art\. 33 lid 4 AVG\): nog onbekend: Functionaris gegevensbescherming \/ contactpersoon; Naam contactpersoon; /,
        ),
      ],
    ]);
    const unknown = sections.flatMap((s) => s.fields).filter((f) => f.value === null);
    expect(unknown.length).toBe(sections.flatMap((s) => s.fields).length - 4);
    for (const label of [
      'Functie contactpersoon',
      'Telefoonnummer contactpersoon',
      'Begin van het datalek',
      'Einde van het datalek',
      'Aard van de inbreuk',
      'Groep betrokkenen',
      'Kwetsbare groep (zoals patiënten, kinderen, cliënten)',
      'Soort schade voor betrokkenen',
      'Stand van de inperkende maatregelen',
      'Zijn de gegevens terug?',
      'Openbare mededeling (art. 34 lid 3 onder c AVG)',
      'Volgens de stand van de techniek',
      'Leidende toezichthouder',
    ])
      expect(unknown.map((f) => f.label)).toContain(label);
    // The Markdown gives each of them the mark.
    const markdown = renderApDraftMarkdown(bare, { organisation: 'Testgemeente' });
    expect(markdown.split('\n').filter((line) => line.endsWith(`:** ${UNKNOWN_MARK}`))).toHaveLength(unknown.length);
  });

  it('gives the contact function and phone only when the directory has them', () => {
    const v = view();
    const fieldOf = (context: DraftContext, label: string) =>
      apDraft(v, context)
        .flatMap((s) => s.fields)
        .find((f) => f.label === label)?.value;
    const bare = draftContext('Testgemeente', [
      { name: 'Fenna FG', email: 'fg@test.example', roles: ['fg'] },
      { name: 'Chris CISO', email: 'ciso@test.example', roles: ['ciso'] },
    ]);
    expect(fieldOf(bare, 'Naam contactpersoon')).toBe('Fenna FG');
    expect(fieldOf(bare, 'Functie contactpersoon')).toBeNull();
    expect(fieldOf(bare, 'Telefoonnummer contactpersoon')).toBeNull();
    const full = draftContext('Testgemeente', [
      { name: 'Chris CISO', email: 'ciso@test.example', roles: ['ciso'], phone: '070-0000000' },
      {
        name: 'Fenna FG',
        email: 'fg@test.example',
        roles: ['fg'],
        function: 'Functionaris gegevensbescherming',
        phone: '070-1234567',
      },
    ]);
    expect(fieldOf(full, 'Functie contactpersoon')).toBe('Functionaris gegevensbescherming');
    expect(fieldOf(full, 'Telefoonnummer contactpersoon')).toBe('070-1234567');
    expect(fieldOf(full, 'E-mailadres contactpersoon')).toBe('fg@test.example');
  });

  it('says "nog gaande" for a breach that still leaks and has no end, and unknown once it stops without one', () => {
    const leaking = view({ facts: { ...view().facts, known: { ...facts, stillLeaking: true } } });
    expect(field(leaking, 'Einde van het datalek')).toBe('nog gaande');
    expect(field(leaking, 'Is de melding volledig?')).toMatch(
      /^nee, er volgt een aanvulling .*: het datalek duurt nog voort; /,
    );
    const stopped = view({ facts: { ...view().facts, known: { ...facts, stillLeaking: false } } });
    expect(field(stopped, 'Einde van het datalek')).toBeNull();
    const contained = view({
      facts: {
        ...view().facts,
        known: { ...facts, stillLeaking: true },
        containment: { ...fullView().facts.containment!, containedAt: '2026-12-01T11:00:00Z' },
      },
    });
    expect(field(contained, 'Einde van het datalek')).toBeNull();
  });

  it('reads public communication from the decision and its publication, never from the English summary', () => {
    const decision = (notifyDataSubjects: boolean, dataSubjectsBy: string) => ({
      decisions: [
        {
          kind: 'notification' as const,
          by: 'fg@test.example',
          at: '2026-12-01T12:00:00Z',
          // Says the opposite of the data each time: the data decides.
          summary: `Authority: notify; data subjects: ${notifyDataSubjects ? 'do not inform' : 'inform'}, by public communication`,
        },
      ],
      tasks: [
        {
          ...fullView().tasks[0]!,
          answer: { notifyAuthority: true, notifyDataSubjects, dataSubjectsBy, justification: 'Zie het besluit.' },
        },
      ],
    });
    const pc = 'Openbare mededeling (art. 34 lid 3 onder c AVG)';
    expect(field(view(decision(true, 'public-communication')), pc)).toBe('ja, besloten; nog niet gepubliceerd');
    expect(field(view(decision(true, 'public-communication')), 'Zijn de betrokkenen geïnformeerd?')).toBe('nog niet');
    expect(field(view(decision(true, 'lekdicht')), pc)).toBe('nee, de betrokkenen worden een voor een geïnformeerd');
    const no = view(decision(false, 'own-channel'));
    expect(field(no, pc)).toBe('nee');
    expect(field(no, 'Zijn de betrokkenen geïnformeerd?')).toBe('nee');
    expect(field(no, 'Wanneer geïnformeerd')).toBe('n.v.t.');
    // The justification of a decision recorded before its fields existed, from the task's answer.
    expect(field(no, 'Zo nee, waarom niet?')).toBe('Zie het besluit.');
    // No structured decision at all: unknown, whatever the summary says.
    const summaryOnly = view({ decisions: decision(false, 'own-channel').decisions });
    expect(field(summaryOnly, 'Zijn de betrokkenen geïnformeerd?')).toBeNull();
    expect(field(summaryOnly, pc)).toBeNull();
  });

  it('gives the lead authority, or n.v.t. when nothing is cross-border, and other authorities only as recorded', () => {
    const lead = (known: BreachFacts) => field(view({ facts: { ...view().facts, known } }), 'Leidende toezichthouder');
    expect(lead({ ...facts, crossBorder: true, leadAuthority: 'CNIL' })).toBe('CNIL');
    expect(lead({ ...facts, crossBorder: true })).toBeNull();
    expect(lead({ ...facts, crossBorder: false })).toBe('n.v.t. (geen grensoverschrijdende verwerking)');
    const domestic = view({ facts: { ...view().facts, known: { ...facts, crossBorder: false } } });
    expect(field(domestic, 'Andere toezichthouders')).toBe('nee');
    expect(field(domestic, 'Gemeld bij andere toezichthouders (NIS2/DORA)')).toBe('nee');
    const nis2Due = view({
      facts: { ...view().facts, known: { ...facts, crossBorder: false } },
      deadlines: [{ kind: 'nis2-early-warning', due: '2026-12-02T09:30:00Z', status: 'pending', regime: 'nis2' }],
    });
    expect(field(nis2Due, 'Andere toezichthouders')).toBeNull();
  });

  it('marks the technical protection n.v.t. for unprotected data, and says which data a partial one covers', () => {
    const protection = (p: BreachFacts['protection']) => {
      const v = view({ facts: { ...view().facts, known: { ...facts, protection: p } } });
      return [
        'Onbegrijpelijk of ontoegankelijk gemaakt',
        'Welke gegevens zijn zo beschermd?',
        'Volgens de stand van de techniek',
        'Sleutel buiten bereik van onbevoegden',
      ].map((label) => field(v, label));
    };
    expect(protection({ encrypted: false })).toEqual([
      'nee',
      'n.v.t. (niet versleuteld of gehasht)',
      'n.v.t. (niet versleuteld of gehasht)',
      'n.v.t. (niet versleuteld of gehasht)',
    ]);
    expect(protection({ encrypted: true, keySafe: true, strength: 'state-of-the-art' })).toEqual([
      'ja',
      'alle getroffen gegevens',
      'ja',
      'ja',
    ]);
    expect(
      protection({ encrypted: false, hashed: true, keySafe: false, strength: 'weak', covers: ['credentials'] }),
    ).toEqual(['gedeeltelijk', 'inloggegevens', 'nee, een zwak of verouderd algoritme', 'nee']);
    expect(protection({ encrypted: true, strength: 'unknown' })).toEqual(['ja', 'alle getroffen gegevens', null, null]);
  });

  it.each([
    [{ breachType: 'stolen-device' }, 'diefstal of verlies'],
    [{ breachType: 'lost-paper' }, 'diefstal of verlies'],
    [{ physicalMedia: { lost: true } }, 'diefstal of verlies'],
    [{ breachType: 'misdirected-post' }, 'lezen of kopiëren'],
    [{ recipients: 'public' }, 'lezen of kopiëren'],
    [{ exfiltration: 'confirmed' }, 'lezen of kopiëren'],
    [{ exfiltration: 'suspected' }, 'lezen of kopiëren (vermoed)'],
    [{ impact: { confidentiality: 'limited' } }, 'lezen of kopiëren'],
    [{ impact: { integrity: 'significant' } }, 'wijzigen'],
    [{ impact: { availability: 'limited' } }, 'verwijderen of vernietigen (ook: onbeschikbaar maken)'],
    [{ breachType: 'ransomware', recipients: 'none' }, 'verwijderen of vernietigen (ook: onbeschikbaar maken)'],
    [{ breachType: 'hacking', recipients: 'none', impact: { confidentiality: 'none' } }, undefined],
  ] as [BreachFacts, string | undefined][])('the nature of the breach: %j gives %s', (known, nature) => {
    expect(breachNature(known)).toEqual(nature === undefined ? [] : [nature]);
  });
});
