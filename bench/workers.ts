/**
 * The two workers the bench compares, built the same way in this process or in a child (bench/worker-process.ts):
 * lekdicht's (worker/create-worker.ts, loaded only when asked, so a baseline child holds none of it) and the
 * baseline's, a plain Worker with the same codec.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Config } from '../domain/config';
import { dataConverterFromKeys, strictForWorker } from '../codec/data-converter';
import { parseKeyRing } from '../codec/keys';
import { endpointFromEnv, type TemporalConnectionOptions } from '../config/temporal';

export type WorkerKind = 'lekdicht' | 'baseline';

/** One child worker's instructions (bench/worker-process.ts reads them from BENCH_WORKER). */
export interface ChildWorkerSpec {
  kind: WorkerKind;
  address: string;
  /** TEMPORAL_ADDRESS's server: TLS, API key and profile from the same environment (inherited by a child). */
  external?: boolean;
  namespace: string;
  taskQueue: string;
  bundlePath: string;
  config?: Config;
}

/**
 * How both sides connect: to TEMPORAL_ADDRESS's server with the env-config conventions lekdicht itself follows
 * (TLS, API key, TEMPORAL_PROFILE: config/temporal.ts), so a cluster or Temporal Cloud can be measured; to the
 * bench's own dev server by its address.
 */
export function connectionOptionsOf(target: { address: string; external?: boolean }): TemporalConnectionOptions {
  return target.external ? endpointFromEnv(process.env).connectionOptions : { address: target.address };
}

export function dataConverterOf(target: { codecKeys: string }) {
  return dataConverterFromKeys({ keys: parseKeyRing(target.codecKeys, 'the bench keys'), source: 'bench' })
    .dataConverter;
}

/** The product's worker (worker/create-worker.ts), or the baseline's: a plain Worker with the same codec. */
export async function createWorker(
  spec: ChildWorkerSpec,
  target: { codecKeys: string },
): Promise<{ run(): Promise<void>; shutdown(): void }> {
  const dataConverter = dataConverterOf(target);
  if (spec.kind === 'lekdicht') {
    const { createLekdichtWorker } = await import('../worker/create-worker');
    const lekdicht = await createLekdichtWorker({
      connection: connectionOptionsOf(spec),
      namespace: spec.namespace,
      config: spec.config!,
      taskQueue: spec.taskQueue,
      workflowBundle: { codePath: spec.bundlePath },
      dataConverter,
    });
    return { run: () => lekdicht.run(), shutdown: () => lekdicht.worker.shutdown() };
  }
  const connection = await NativeConnection.connect(connectionOptionsOf(spec));
  const worker = await Worker.create({
    connection,
    namespace: spec.namespace,
    taskQueue: spec.taskQueue,
    workflowBundle: { codePath: spec.bundlePath },
    dataConverter: strictForWorker(dataConverter),
  });
  return {
    run: async () => {
      try {
        await worker.run();
      } finally {
        await connection.close();
      }
    },
    shutdown: () => worker.shutdown(),
  };
}
