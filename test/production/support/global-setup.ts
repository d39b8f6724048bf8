import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { startTemporalCluster, type TemporalCluster } from '../../../devstack/temporal-cluster';
import { generateKeyEntry } from '../../../codec/keys';

declare module 'vitest' {
  export interface ProvidedContext {
    clusterAddress: string;
    clusterNamespace: string;
    /** The cluster's `lekdicht` database (postgres://…), for the stores once they run on PostgreSQL. */
    databaseUrl: string;
    /** Fresh per run, as in the other suites: payloads on the server are encrypted like production's. */
    productionCodecKeys: string;
    productionActSigningKey: string;
  }
}

let cluster: TemporalCluster | undefined;

/** One production-shaped stack (PostgreSQL + the real Temporal server) for the whole run. */
export async function setup(project: TestProject): Promise<void> {
  // The image's shape: lekdicht compiled to dist/ with its prebuilt workflow bundles (npm run build, as the
  // Dockerfile does), run by node; not the sources through tsx.
  let started = Date.now();
  execFileSync('npm', ['run', 'build'], {
    cwd: fileURLToPath(new URL('../../..', import.meta.url)),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  console.log(`stack: npm run build in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  started = Date.now();
  cluster = await startTemporalCluster({ log: (line) => console.log(`stack: ${line}`) });
  console.log(`stack: up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  project.provide('clusterAddress', cluster.address);
  project.provide('clusterNamespace', cluster.namespace);
  project.provide('databaseUrl', cluster.databaseUrl);
  project.provide('productionCodecKeys', [generateKeyEntry('prod-old'), generateKeyEntry('prod-current')].join(','));
  project.provide('productionActSigningKey', randomBytes(32).toString('hex'));
}

export async function teardown(): Promise<void> {
  await cluster?.stop();
}
