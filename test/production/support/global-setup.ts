import { randomBytes } from 'node:crypto';
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
  const started = Date.now();
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
