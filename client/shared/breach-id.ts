import { createHash } from 'node:crypto';

/**
 * The breach's workflow id: a hash of the signal's source and event id. The same event always maps to the
 * same breach, and the id reveals nothing of what the event said.
 */
export function breachIdFor(source: string, eventId: string): string {
  const digest = createHash('sha256').update(`${source}\n${eventId}`).digest('hex');
  return `breach-${digest.slice(0, 20)}`;
}
