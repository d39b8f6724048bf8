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
