import type { WorkerOptions } from '@temporalio/worker';
import type { OperationsConfig } from '../domain/operations-config';

/**
 * The Worker options of the operations keys that are set (docs/operations.md, "Worker tuning"); an unset key leaves
 * the SDK's default, so a config without them runs as before.
 */
export function workerTuning(
  operations: OperationsConfig,
): Pick<
  WorkerOptions,
  | 'maxCachedWorkflows'
  | 'maxConcurrentWorkflowTaskExecutions'
  | 'maxConcurrentActivityTaskExecutions'
  | 'reuseV8Context'
  | 'workflowThreadPoolSize'
> {
  const {
    maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions,
    maxConcurrentActivityTaskExecutions,
    reuseV8Context,
    workflowThreads,
  } = operations;
  return {
    ...(maxCachedWorkflows !== undefined ? { maxCachedWorkflows } : {}),
    ...(maxConcurrentWorkflowTaskExecutions !== undefined ? { maxConcurrentWorkflowTaskExecutions } : {}),
    ...(maxConcurrentActivityTaskExecutions !== undefined ? { maxConcurrentActivityTaskExecutions } : {}),
    ...(reuseV8Context !== undefined ? { reuseV8Context } : {}),
    ...(workflowThreads !== undefined ? { workflowThreadPoolSize: workflowThreads } : {}),
  };
}
