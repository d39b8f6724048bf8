import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
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
 * The settings a breach starts with, read by the worker that runs its first workflow task (a local activity): the
 * breach's triage task opens in that same task instead of after a round trip through the server for an activity
 * that only reads the worker's own config.
 */
export const localSettings = proxyLocalActivities<Pick<Activities, 'loadSettings'>>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
