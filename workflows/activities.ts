import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

/**
 * Activities retry until they succeed: emails, tickets and register rows are idempotent, and a breach must
 * not stop because a mail server or the register was briefly away.
 */
export const activities = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * Emails heartbeat while they are being sent (activities/index.ts), so a worker that dies in the middle of one
 * (crash, SIGKILL, lost host) is noticed within the heartbeat timeout and the email retried by another worker,
 * rather than only after the start-to-close timeout. Activity options are not part of replay: no patch needed.
 */
export const emailActivities = proxyActivities<Pick<Activities, 'emailRoles'>>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * Every register batch of a child whose reports ride with its batches (reports-ride), whether or not this one carries
 * a report, heartbeats while it runs (activities/index.ts): a worker that dies holding one is noticed within the
 * heartbeat timeout and the batch (and any report in it) taken up by another worker, rather than the case view
 * waiting the start-to-close minute for it. Activity options are not part of replay.
 */
export const batchActivities = proxyActivities<Pick<Activities, 'recordAll'>>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});
