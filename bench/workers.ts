/**
 * The two workers the bench compares, built the same way in this process or in a child (bench/worker-process.ts):
 * lekdicht's (worker/create-worker.ts, loaded only when asked, so a baseline child holds none of it) and the
 * baseline's, a plain Worker with the same codec.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Config } from '../domain/config';
import { dataConverterFromKeys, strictForWorker } from '../codec/data-converter';
import { parseKeyRing } from '../codec/keys';

export type WorkerKind = 'lekdicht' | 'baseline';

/** One child worker's instructions (bench/worker-process.ts reads them from BENCH_WORKER). */
export interface ChildWorkerSpec {
  kind: WorkerKind;
  address: string;
  namespace: string;
  taskQueue: string;
  bundlePath: string;
  config?: Config;
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
      connection: { address: spec.address },
      namespace: spec.namespace,
      config: spec.config!,
      taskQueue: spec.taskQueue,
      workflowBundle: { codePath: spec.bundlePath },
      dataConverter,
    });
    return { run: () => lekdicht.run(), shutdown: () => lekdicht.worker.shutdown() };
  }
  const connection = await NativeConnection.connect({ address: spec.address });
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
