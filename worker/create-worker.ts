import type { DataConverter } from '@temporalio/common';
import {
  NativeConnection,
  Runtime,
  Worker,
  type ActivityInterceptorsFactory,
  type WorkerOptions,
} from '@temporalio/worker';
import { dataConverterForProcess, strictForWorker } from '../codec/data-converter';
import type { Config } from '../domain/config';
import { createActivities } from '../activities';
import { BreachRegister } from '../register/store';
import { storeTarget } from '../register/targets';
import { ticketSystemFor } from '../activities/tickets';
import type { TemporalConnectionOptions } from '../config/temporal';
import { tracingFor } from '../config/tracing';
import { EndedOutsideWatch } from './watch';
import { startWorkerHealth, type WorkerHealth } from './health';
import { createMailTransport } from './mail-transport';
import { workerTuning } from './tuning';
import { workflowSource } from './workflow-bundle';

/** Where the workflows, their interceptor and preload modules are, for a bundle built elsewhere (test/support/global-setup.ts). */
export { workflowsPath, WORKFLOW_INTERCEPTOR_MODULES, WORKFLOW_PRELOAD_MODULES } from './workflow-bundle';

export interface LekdichtWorkerOptions {
  connection: TemporalConnectionOptions;
  namespace: string;
  config: Config;
  /** Overrides config.taskQueue (tests give each test its own queue). */
  taskQueue?: string;
  /**
   * A pre-built bundle (tests build it once per run); otherwise operations.workflowBundle, or workflows/ bundled at
   * start (worker/workflow-bundle.ts).
   */
  workflowBundle?: WorkerOptions['workflowBundle'];
  env?: NodeJS.ProcessEnv;
  /** Default: from the environment (codec/data-converter.ts); a prebuilt bundle must have been built with its failureConverterPath. */
  dataConverter?: DataConverter;
  /**
   * Activity interceptors after lekdicht's own (tracing): the SDK's extension point, for an organisation's metrics or
   * a test that makes an activity stall as on a worker that froze.
   */
  activityInterceptors?: ActivityInterceptorsFactory[];
}

/**
 * A nondeterminism error means this code can no longer replay a breach's history (an unguarded change, see
 * "Changing a playbook safely"). By default the SDK fails only the workflow task and retries it forever, so a
 * breach would silently stop moving while its 72-hour clock runs. Failing the execution makes it visible: the
 * breach shows as failed in the Temporal UI and `lekdicht list`, and can be reset to before the bad task
 * once the code is fixed.
 */
export const WORKFLOW_FAILURE_ERROR_TYPES: NonNullable<WorkerOptions['workflowFailureErrorTypes']> = {
  '*': ['NondeterminismError'],
};

export interface LekdichtWorker {
  worker: Worker;
  register: BreachRegister;
  /** The watch for runs ended outside lekdicht (worker/watch.ts); runs while run() does. */
  watch: EndedOutsideWatch;
  /** Runs until shutdown (SIGINT/SIGTERM or worker.shutdown()), then releases the connection, mailer and register. */
  run(): Promise<void>;
}

/** Builds the worker with activities wired to the real transports: SMTP, the register, the ticket table. */
export async function createLekdichtWorker(options: LekdichtWorkerOptions): Promise<LekdichtWorker> {
  const { config } = options;
  // First: missing keys stop start-up before anything is opened.
  // Strict: a payload not encrypted with the keys never reaches a workflow as data (codec/data-converter.ts).
  const dataConverter = strictForWorker(
    options.dataConverter ?? dataConverterForProcess(options.env ?? process.env).dataConverter,
  );
  // Before anything is opened: a bundle that cannot serve this config stops start-up here.
  const tracing = tracingFor(config.operations.otlpEndpoint, 'lekdicht-worker');
  const workflows = workflowSource(options.workflowBundle, config.operations.workflowBundle, tracing);
  const register = await BreachRegister.open(storeTarget(config, 'register', options.env ?? process.env));
  const transport = createMailTransport(config, options.env ?? process.env);
  const connection = await NativeConnection.connect(options.connection);
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? config.taskQueue,
    ...workflows,
    ...(options.activityInterceptors
      ? {
          interceptors: {
            ...workflows.interceptors,
            activity: [...(workflows.interceptors?.activity ?? []), ...options.activityInterceptors],
          },
        }
      : {}),
    activities: createActivities({
      config: () => config,
      transport,
      register,
      tickets: ticketSystemFor(config, register),
    }),
    // On Ctrl-C or a deploy, let an email or register write in flight finish instead of leaving it to be
    // retried only after its start-to-close timeout.
    shutdownGraceTime: '10s',
    ...workerTuning(config.operations),
    dataConverter,
    workflowFailureErrorTypes: WORKFLOW_FAILURE_ERROR_TYPES,
  });
  // Beside the Worker, in the same process: nothing in Temporal that could be terminated or deleted with the runs.
  const watch = new EndedOutsideWatch({
    connection,
    namespace: options.namespace,
    register,
    transport,
    config: () => config,
    log: Runtime.instance().logger,
  });
  return {
    worker,
    register,
    watch,
    async run() {
      watch.start();
      let health: WorkerHealth | undefined;
      try {
        const address = config.operations.workerHealthAddress;
        if (address) health = await startWorkerHealth(address, { worker, connection, register });
        await worker.run();
      } finally {
        await health?.close();
        await watch.stop();
        // The last spans of this run (an activity that just finished) before the connection goes.
        await tracing?.flush();
        transport.close();
        await register.close();
        await connection.close();
      }
    },
  };
}
