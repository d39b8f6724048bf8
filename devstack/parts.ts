import { LOOPBACK as HOST, portIsFree } from './ports';

/** A start-up problem the user can fix (a port in use, a part that would not start): one line, no stack. */
export class StartError extends Error {}

/** One running part of the stack, stopped in reverse order of starting. */
export interface Part {
  name: string;
  stop(): Promise<void>;
  /** The part reports its own stop. */
  quiet?: boolean;
}

export async function requireFreePort(port: number, what: string, envName: string): Promise<void> {
  if (!(await portIsFree(port, HOST))) {
    throw new StartError(
      `port ${port} (${what}) on ${HOST} is already in use — is lekdicht already running? Free it or set ${envName}`,
    );
  }
}
