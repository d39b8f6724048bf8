/**
 * A lekdicht worker in a process of its own, so a test can SIGKILL it for real. Started by rig.ts with
 * `node --import tsx` (one process: no tsx wrapper that would survive a SIGKILL of its parent):
 *   FAULT_WORKER = JSON { address, namespace, taskQueue, bundlePath, config }
 *   LEKDICHT_CODEC_KEYS = the test run's keys (so this worker reads what the test's client wrote)
 * Prints "worker ready" once it polls.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Config } from '../../../domain/config';
import { dataConverterFromEnv } from '../../../codec/data-converter';
import { createLekdichtWorker } from '../../../worker/create-worker';

interface FaultWorkerSpec {
  address: string;
  namespace: string;
  taskQueue: string;
  bundlePath: string;
  config: Config;
}

const spec = JSON.parse(process.env.FAULT_WORKER ?? '{}') as FaultWorkerSpec;
Runtime.install({ logger: new DefaultLogger('WARN') });
const lekdicht = await createLekdichtWorker({
  connection: { address: spec.address },
  namespace: spec.namespace,
  config: spec.config,
  taskQueue: spec.taskQueue,
  workflowBundle: { codePath: spec.bundlePath },
  dataConverter: dataConverterFromEnv(process.env).dataConverter,
});
const running = lekdicht.run();
console.log('worker ready');
await running;
console.log('worker stopped');
