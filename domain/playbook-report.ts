/**
 * A child playbook's report to its breach workflow (workflows/playbook-timeline.ts): a signal, sent by the child
 * itself or, since `reports-ride`, by the `recordAll` activity that writes the same changes to the register.
 */
export const PLAYBOOK_REPORT_SIGNAL = 'playbookReport';

/**
 * What became of a report sent by the `recordAll` activity: the breach has it (`heard`), it has ended and nobody
 * is left to tell (`gone`), or Temporal did not take it (`refused`: the breach's run full of signals, or the
 * frontend away), and the playbook sends it again.
 */
export type ReportOutcome = 'heard' | 'gone' | 'refused';
