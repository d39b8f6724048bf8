import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCase } from '../../../client/shared/breaches';
import { BreachStartingError, queryWhileStarting } from '../../../client/shared/starting';
import { errorHandler } from '../../../client/http/errors';
import { caseViewQuery } from '../../../workflows/messages';
import { answers, signal } from '../../support/answers';
import { eventually, Harness } from '../../support/harness';
import { FG } from '../../support/people';

const REPORTER = { name: 'Jildou Hofstra', email: 'j.hofstra@starting.example' };

/**
 * A query that reaches a workflow before it registered its handlers fails in the SDK with QueryNotRegisteredError,
 * whose message the failure converter encodes: the caller read only "Encoded failure" (issue 16). The caller now
 * asks again briefly, and otherwise says the breach is still starting, without anything of the breach.
 */
describe('a case asked for while the breach is still starting', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.close());

  it('is answered when asked right after the report, also for several breaches reported at once', async () => {
    const ids = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => h.report(signal({ eventId: `starting-${n}`, reporter: REPORTER }))),
    );
    const views = await Promise.all(ids.map((id) => getCase(h.client, id)));
    expect(views.map((v) => v.phase)).toEqual(['triage', 'triage', 'triage', 'triage', 'triage']);
  });

  it('says the breach is still starting, in Dutch and English, when no handler comes: never "Encoded failure"', async () => {
    const breachId = await h.report(signal({ eventId: 'starting-playbook', reporter: REPORTER }));
    await h.complete(breachId, 'triage', FG, answers.triageBreach());
    // A playbook has no caseView handler, ever: what a breach is for a moment before its first workflow task.
    const playbook = h.client.workflow.getHandle(`${breachId}.notification`);
    await eventually(async () => (await playbook.describe()).status.name === 'RUNNING', 'the notification playbook');
    const raw = await playbook.query(caseViewQuery).then(
      () => undefined,
      (err: Error) => err,
    );
    expect([raw?.name, raw?.message]).toEqual(['QueryNotRegisteredError', 'Encoded failure']);

    const refused = await queryWhileStarting(breachId, () => playbook.query(caseViewQuery), {
      attempts: 3,
      pauseMs: 50,
    }).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(refused).toBeInstanceOf(BreachStartingError);
    const starting = refused as BreachStartingError;
    expect(starting.text('nl')).toBe(
      `${breachId}: het datalek wordt nog gestart; probeer het over een paar seconden opnieuw`,
    );
    expect(starting.text('en')).toBe(`${breachId}: the breach is still starting; try again in a few seconds`);
    expect(starting.message).not.toMatch(/Encoded failure|Hofstra|starting\.example/);

    // The HTTP service's error handler: 503 with a hint when to ask again, Dutch by default, English on ?lang=en.
    const app = Fastify();
    app.setErrorHandler(errorHandler(() => {}));
    app.get('/api/breaches/:id', () => {
      throw starting;
    });
    try {
      const nl = await app.inject({ method: 'GET', url: `/api/breaches/${breachId}` });
      expect([nl.statusCode, nl.headers['retry-after'], nl.json()]).toEqual([
        503,
        '2',
        { error: 'starting', message: starting.text('nl') },
      ]);
      const en = await app.inject({ method: 'GET', url: `/api/breaches/${breachId}?lang=en` });
      expect(en.json()).toEqual({ error: 'starting', message: starting.text('en') });
    } finally {
      await app.close();
    }
  });
});
