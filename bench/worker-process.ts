/**
 * One bench worker in a process of its own, so its memory is its own (/proc/<pid>/status) and it can be SIGKILLed.
 * Started by bench/stack.ts with `node --import tsx` (one process, no wrapper):
 *   BENCH_WORKER = JSON ChildWorkerSpec { kind, address, namespace, taskQueue, bundlePath, config? }
 *   LEKDICHT_CODEC_KEYS = the bench run's keys
 * Prints "worker ready" once it polls; SIGTERM shuts it down (the SDK's shutdown signals).
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { runtimeOptions } from '../worker/runtime';
import { createWorker, type ChildWorkerSpec } from './workers';

const spec = JSON.parse(process.env.BENCH_WORKER ?? '{}') as ChildWorkerSpec;
const codecKeys = process.env.LEKDICHT_CODEC_KEYS ?? '';
Runtime.install(runtimeOptions({}, new DefaultLogger('ERROR'), { filter: { core: 'ERROR', other: 'ERROR' } }));
const worker = await createWorker(spec, { codecKeys });
const running = worker.run();
console.log('worker ready');
await running;
console.log('worker stopped');
