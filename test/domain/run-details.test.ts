import { runDetails } from '../../domain/run-details';
import { describe, expect, it } from 'vitest';

describe('run details for the Temporal UI', () => {
  it('lists the phase, open tasks with role and due time, and the deadlines not yet met', () => {
    expect(
      runDetails({
        phase: 'containment',
        severityBand: 'high',
        tasks: [
          { id: 'triage', role: 'fg', due: '2026-11-28T10:00:00.000Z', status: 'done', overdue: false },
          { id: 'containment-1', role: 'ict', due: '2026-11-28T14:00:00.000Z', status: 'open', overdue: true },
        ],
        deadlines: [
          { kind: 'gdpr-authority', due: '2026-12-01T09:00:00.000Z', status: 'pending' },
          { kind: 'nis2-early-warning', due: '2026-11-29T09:00:00.000Z', status: 'late' },
          { kind: 'processor-controller', due: '2026-11-29T09:00:00.000Z', status: 'met' },
        ],
      }),
    ).toBe(
      [
        '**Phase:** containment · **severity:** high',
        '**Open tasks:**',
        '- `containment-1` → ict, due 2026-11-28T14:00:00.000Z (**overdue**)',
        '**Deadlines:**',
        '- gdpr-authority: 2026-12-01T09:00:00.000Z',
        '- nis2-early-warning: 2026-11-29T09:00:00.000Z (**late**)',
      ].join('\n'),
    );
    expect(runDetails({ tasks: [], deadlines: [] })).toBe('**Open tasks:** none');
  });
});
