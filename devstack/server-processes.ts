import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { sleep } from './server-ready';

/**
 * A dev server left behind by a killed run: found by its pid file, told apart from another live owner's server,
 * and stopped before a new one takes its data directory and port.
 */

/** How long a server has to stop on SIGTERM before it is killed. */
export const STOP_GRACE_MS = 10_000;

/** temporal.pid: the server's pid, then the pid of the process that started it. */
export function readPidFile(pidFile: string): { serverPid: number; ownerPid: number | undefined } | undefined {
  let text: string;
  try {
    text = readFileSync(pidFile, 'utf8');
  } catch {
    return undefined;
  }
  const [server, owner] = text.split(/\s+/).map(Number);
  if (!server || !Number.isInteger(server) || server <= 0) return undefined;
  return { serverPid: server, ownerPid: owner && Number.isInteger(owner) ? owner : undefined };
}

/**
 * A server whose owner died (SIGKILL, crash, closed terminal without SIGHUP) keeps its port and database;
 * it is terminated so the new run can start. One still owned by another live process is a second lekdicht
 * on the same data directory: that is refused rather than pulling the server from under it.
 */
export async function replaceStaleServer(pidFile: string, log: (line: string) => void): Promise<void> {
  const recorded = readPidFile(pidFile);
  if (!recorded) return;
  const { serverPid, ownerPid } = recorded;
  const proc = readProcess(serverPid);
  if (!proc || proc.state === 'Z' || !isTemporalDevServer(proc.cmdline)) {
    // The pid is gone or now belongs to an unrelated process: nothing of ours is running.
    rmSync(pidFile, { force: true });
    return;
  }
  if (ownerPid !== undefined && ownerPid !== process.pid && proc.ppid === ownerPid) {
    throw new Error(
      `the Temporal dev server for ${dirname(pidFile)} (pid ${serverPid}) is in use by another running process (pid ${ownerPid}). ` +
        'Stop that process first, or point this one at the running server with TEMPORAL_ADDRESS.',
    );
  }
  log(`stopping a stale Temporal dev server from an earlier run (pid ${serverPid})`);
  await terminate(serverPid);
  rmSync(pidFile, { force: true });
}

function isTemporalDevServer(cmdline: string[]): boolean {
  const exe = cmdline[0] ?? '';
  return /(^|[/\\])temporal(\.exe)?$/.test(exe) && cmdline.includes('server') && cmdline.includes('start-dev');
}

interface ProcessInfo {
  cmdline: string[];
  ppid: number | undefined;
  state: string | undefined;
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: alive but someone else's, so certainly not a server we started.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
    return { cmdline: [], ppid: undefined, state: undefined };
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may itself contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { cmdline, state: fields[0], ppid: Number(fields[1]) };
  } catch {
    // No /proc (macOS): ask ps. Arguments with spaces are split, which the start-dev check tolerates.
    try {
      const out = execFileSync('ps', ['-o', 'ppid=,stat=,command=', '-p', String(pid)], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
      const [ppid, state, ...cmdline] = out.split(/\s+/);
      return { cmdline, ppid: Number(ppid), state: state?.[0] };
    } catch {
      return undefined;
    }
  }
}

function isRunning(pid: number): boolean {
  const proc = readProcess(pid);
  return proc !== undefined && proc.state !== 'Z';
}

async function terminate(pid: number): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + STOP_GRACE_MS;
  while (isRunning(pid) && Date.now() < deadline) await sleep(100);
  if (isRunning(pid)) {
    signal('SIGKILL');
    const killDeadline = Date.now() + 5_000;
    while (isRunning(pid) && Date.now() < killDeadline) await sleep(50);
    if (isRunning(pid)) throw new Error(`could not stop the stale Temporal dev server (pid ${pid}); stop it by hand`);
  }
}

// ---- ports ---------------------------------------------------------------------------------------------------
