import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { captureWorkerLogs, Harness } from '../support/harness';
import { HttpFixture } from '../support/http';
import { answers, signal } from '../support/answers';
import { CISO, COMMS, FG, ICT, PROCESS_OWNER } from '../support/people';

// Known strings that may appear only encrypted wherever Temporal or a log keeps them. The BSN passes the
// eleven-test, so a validator would not reject it as fake.
const REPORTER = { name: 'Wilhelmina Lekkerkerker', email: 'w.lekkerkerker@markers.example' };
const BSN = '123456782';
const SUBJECTS = [
  { name: 'Gijsbert Vlietstra', email: 'gijsbert.vlietstra@markers.example' },
  { name: 'Annelies Oudhuizen', email: 'a.oudhuizen@markers.example', language: 'en' as const },
];
const MARKERS = [
  REPORTER.name,
  REPORTER.email,
  BSN,
  'Lekkerkerker',
  ...SUBJECTS.flatMap((s) => [s.name, s.email]),
  'Vlietstra',
  'Oudhuizen',
];

/**
 * JSON with every byte string shown as UTF-8 text, so plaintext in a payload shows up as itself. Walked by hand:
 * JSON.stringify would call the protobuf messages' toJSON, which turns bytes into base64 and hides the text.
 */
function asText(value: unknown): string {
  const plain = (v: unknown): unknown => {
    if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
    if (typeof v === 'bigint') return String(v);
    if (Array.isArray(v)) return v.map(plain);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, child]) => [k, plain(child)]));
    return v;
  };
  return JSON.stringify(plain(value));
}

function payloadsIn(value: unknown, found: Payload[] = []): Payload[] {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return found;
  const record = value as Record<string, unknown>;
  if (record.metadata && typeof record.metadata === 'object' && 'data' in record) {
    found.push(record);
    return found;
  }
  for (const child of Object.values(record)) payloadsIn(child, found);
  return found;
}

describe('no personal data in clear where Temporal or the logs keep it (issue 5, item 2)', () => {
  let h: Harness;
  let http: HttpFixture;
  let breachId: string;
  const workerLogs = captureWorkerLogs();
  /** What an operator or an attacker with server access sees without the keys. */
  let raw: { histories: unknown[]; descriptions: unknown[]; listing: unknown; ids: string[] };

  beforeAll(async () => {
    h = await Harness.start({}, { organisation: { profile: { dataSubjectTarget: '48h' } } });
    http = await HttpFixture.start(h);
    // Through the signed intake, as a DLP tool reports it: the service's logs are part of the check.
    const res = await http.intake(
      signal({
        summary: `Spreadsheet with BSN ${BSN} of client ${SUBJECTS[0]!.name} mailed outside`,
        details: `Reported by ${REPORTER.name}`,
        reporter: REPORTER,
      }),
    );
    expect(res.statusCode).toBe(202);
    breachId = res.json<{ breachId: string }>().breachId;

    await h.complete(breachId, 'triage', FG, {
      ...answers.triageBreach(),
      reasoning: `${REPORTER.name} saw BSN ${BSN} in the attachment.`,
    });
    await h.complete(breachId, 'first-picture', CISO, {
      ...answers.firstPicture(),
      summary: `Mail to ${SUBJECTS[1]!.email} with BSN ${BSN}.`,
    });
    await h.complete(breachId, 'containment-1', ICT, answers.containment(false));
    await h.complete(breachId, 'containment-confirmation-1', CISO, answers.confirmContainment());
    await h.complete(breachId, 'impact', PROCESS_OWNER, {
      ...answers.impact(),
      dataLeaked: `Names such as ${SUBJECTS[0]!.name} and BSNs (${BSN}).`,
    });
    await h.complete(breachId, 'notification-decision', FG, answers.decision(true, true, 'lekdicht'));
    await h.complete(breachId, 'authority-notification', FG, answers.authorityNotification());
    for (const [taskId, actor, answer] of answers.letterSteps(COMMS, COMMS, FG)) {
      await h.complete(breachId, taskId, actor, answer);
    }
    // The data-subject list goes into the register (as `lekdicht recipients upload` does); letters go out by workflow.
    await h.openTask(breachId, 'recipient-list');
    await h.register.addRecipients(breachId, SUBJECTS);
    await h.complete(breachId, 'recipient-list', COMMS, { uploaded: SUBJECTS.length });
    await h.waitForPhase(breachId, 'aftercare');

    // A client without the codec: the default data converter, as anyone with access to the server has.
    const plain = new Client({ connection: h.client.connection, namespace: h.client.options.namespace });
    const namespace = h.client.options.namespace;
    const listing = await plain.workflowService.listWorkflowExecutions({
      namespace,
      query: `WorkflowId STARTS_WITH '${breachId}'`,
    });
    const executions = (listing.executions ?? []).map((e) => ({
      workflowId: e.execution!.workflowId!,
      runId: e.execution!.runId!,
    }));
    raw = {
      ids: executions.map((e) => e.workflowId),
      listing,
      histories: await Promise.all(
        executions.map(({ workflowId, runId }) => plain.workflow.getHandle(workflowId, runId).fetchHistory()),
      ),
      descriptions: await Promise.all(
        executions.map((execution) => plain.workflowService.describeWorkflowExecution({ namespace, execution })),
      ),
    };
  }, 120_000);

  afterAll(async () => {
    workerLogs.stop();
    await http?.close();
    await h?.close();
  });

  it('ran the breach and its playbooks, and the markers were really used (positive control)', async () => {
    expect(raw.ids.length).toBeGreaterThanOrEqual(3);
    expect(new Set(raw.ids).has(breachId)).toBe(true);
    expect(h.mailbox.to(SUBJECTS[0]!.email)).toHaveLength(1);
    expect(workerLogs.lines.length).toBeGreaterThan(0);
    // The same histories, decoded with the keys, do hold the markers: the search below would find them.
    const [codec] = h.client.options.loadedDataConverter.payloadCodecs;
    const decoded = asText(await codec!.decode(raw.histories.flatMap((history) => payloadsIn(history))));
    for (const marker of [REPORTER.name, REPORTER.email, BSN, SUBJECTS[0]!.name, SUBJECTS[1]!.email])
      expect(decoded).toContain(marker);
  });

  it('keeps every marker out of the raw histories of the breach and every playbook', () => {
    const text = asText(raw.histories);
    expect(text).toContain('binary/encrypted');
    for (const marker of MARKERS) expect({ marker, found: text.includes(marker) }).toEqual({ marker, found: false });
  });

  it('keeps every marker out of workflow ids, search attributes, memo and the visibility listing', () => {
    const text = asText({ ids: raw.ids, listing: raw.listing, descriptions: raw.descriptions });
    expect(text).toContain(breachId);
    for (const marker of MARKERS) expect({ marker, found: text.includes(marker) }).toEqual({ marker, found: false });
  });

  it("keeps every marker out of the worker's and the HTTP service's logs", () => {
    const logs = [...workerLogs.lines, http.logText()].join('\n');
    for (const marker of MARKERS) expect({ marker, found: logs.includes(marker) }).toEqual({ marker, found: false });
  });
});
