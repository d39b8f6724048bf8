import { execFileSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Finding the Temporal CLI that runs the embedded dev server (scripts/install-temporal-cli installs it). */

/** Pinned in scripts/install-temporal-cli too: later tags carry a `replace` directive that `go install` refuses. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

const EXE = process.platform === 'win32' ? 'temporal.exe' : 'temporal';

type CliSource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'GOPATH';

/** Where the Temporal CLI lives: TEMPORAL_CLI_PATH, then PATH, then Go's bin directory (GOBIN, GOPATH, ~/go). */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return locateTemporalCli(env)?.path;
}

export function locateTemporalCli(env: NodeJS.ProcessEnv): { path: string; source: CliSource } | undefined {
  if (env.TEMPORAL_CLI_PATH && isExecutable(env.TEMPORAL_CLI_PATH))
    return { path: env.TEMPORAL_CLI_PATH, source: 'TEMPORAL_CLI_PATH' };
  const onPath = searchPath(EXE, env);
  if (onPath) return { path: onPath, source: 'PATH' };
  for (const dir of goBinDirs(env)) {
    const candidate = join(dir, EXE);
    if (isExecutable(candidate)) return { path: candidate, source: 'GOPATH' };
  }
  return undefined;
}

export function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function searchPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function goBinDirs(env: NodeJS.ProcessEnv): string[] {
  const dirs: string[] = [];
  const go = searchPath(process.platform === 'win32' ? 'go.exe' : 'go', env);
  if (go) {
    try {
      // `go install` writes to GOBIN when set, else to the first GOPATH entry's bin.
      const [gobin = '', gopath = ''] = execFileSync(go, ['env', 'GOBIN', 'GOPATH'], {
        env,
        encoding: 'utf8',
        timeout: 10_000,
        stdio: ['ignore', 'pipe', 'ignore'],
      }).split(/\r?\n/);
      if (gobin.trim()) dirs.push(gobin.trim());
      for (const entry of gopath.trim().split(delimiter)) if (entry) dirs.push(join(entry, 'bin'));
    } catch {
      // A broken Go toolchain must not stop the search; ~/go/bin below is Go's default anyway.
    }
  }
  dirs.push(join(env.HOME ?? homedir(), 'go', 'bin'));
  return [...new Set(dirs)];
}
