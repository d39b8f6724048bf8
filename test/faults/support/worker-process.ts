/**
 * A lekdicht worker in a process of its own, so a test can SIGKILL it for real. Started by rig.ts with
 * `node --import tsx` (one process: no tsx wrapper that would survive a SIGKILL of its parent):
 *   FAULT_WORKER = JSON { address, namespace, taskQueue, bundlePath, config }
 *   LEKDICHT_CODEC_KEYS = the test run's keys (so this worker reads what the test's client wrote)
 * Prints "worker ready" once it polls. With `holdBatchesOf` (endings of workflow IDs, such as ".containment"), the
 * first register batch (recordAll) of the first workflow with each ending is held before it does anything, and
 * "holding <workflow ID>" printed: the test can then SIGKILL the worker with the batch, and any report it carries,
 * in flight and unsent.
 */
import { DefaultLogger, Runtime, type ActivityInterceptorsFactory } from '@temporalio/worker';
import type { Config } from '../../../domain/config';
import { dataConverterFromEnv } from '../../../codec/data-converter';
import { createLekdichtWorker } from '../../../worker/create-worker';

interface FaultWorkerSpec {
  address: string;
  namespace: string;
  taskQueue: string;
  bundlePath: string;
  config: Config;
  holdBatchesOf?: string[];
}

const spec = JSON.parse(process.env.FAULT_WORKER ?? '{}') as FaultWorkerSpec;
Runtime.install({ logger: new DefaultLogger('WARN') });
const toHold = new Set(spec.holdBatchesOf ?? []);
const hold: ActivityInterceptorsFactory = (ctx) => ({
  inbound: {
    async execute(input, next) {
      const id = ctx.info.workflowExecution?.workflowId ?? '';
      const ending = [...toHold].find((e) => id.endsWith(e));
      if (ctx.info.activityType !== 'recordAll' || ctx.info.attempt !== 1 || !ending) return next(input);
      toHold.delete(ending);
      const { report } = input.args[0] as { report?: unknown };
      console.log(`holding ${id} ${report ? 'with a report' : 'without a report'}`);
      return new Promise<never>(() => {});
    },
  },
});
const lekdicht = await createLekdichtWorker({
  connection: { address: spec.address },
  namespace: spec.namespace,
  config: spec.config,
  taskQueue: spec.taskQueue,
  workflowBundle: { codePath: spec.bundlePath },
  dataConverter: dataConverterFromEnv(process.env).dataConverter,
  ...(toHold.size > 0 ? { activityInterceptors: [hold] } : {}),
});
const running = lekdicht.run();
console.log('worker ready');
await running;
console.log('worker stopped');
