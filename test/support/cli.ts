import { spawn } from 'node:child_process';
import { inject } from 'vitest';
import type { Harness } from './harness';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment a test's `lekdicht` CLI runs with: this process's environment (with the run's codec keys, which
 * Harness.start puts there), the run's Temporal server, the example config, and the harness's task queue and
 * register. `overrides` replace or add variables.
 */
export function cliEnv(h: Harness, overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: inject('temporalNamespace'),
    LEKDICHT_CONFIG: 'config/example.yaml',
    LEKDICHT_TASK_QUEUE: h.taskQueue,
    LEKDICHT_REGISTER_PATH: h.config.register.path,
    ...overrides,
  };
}

/**
 * Runs the real `lekdicht` bin as a user would, asynchronously so an in-process worker keeps working;
 * `stdin` is piped in, as `echo … | npx lekdicht …` would.
 */
export function runLekdicht(args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/lekdicht.js', ...args], { env, cwd: process.cwd() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (stdin !== undefined) child.stdin.end(stdin);
  });
}
