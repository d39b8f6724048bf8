import type { LogLevel, Logger } from '@temporalio/common';
import type { RuntimeOptions } from '@temporalio/worker';
import type { OperationsConfig } from '../domain/operations-config';

/**
 * The Temporal runtime's options for a lekdicht process: its logger, and the SDK's Prometheus exporter when
 * operations.workerMetricsAddress is set. Runtime.install takes these once per process, before the first
 * connection (worker/main.ts, devstack/start.ts, the tests' installRuntime): the exporter cannot be added later.
 */
export function runtimeOptions(
  operations: Pick<OperationsConfig, 'workerMetricsAddress'>,
  logger: Logger,
  options: Pick<RuntimeOptions, 'shutdownSignals'> & { filter?: { core: LogLevel; other: LogLevel } } = {},
): RuntimeOptions {
  const { filter = { core: 'WARN', other: 'ERROR' }, ...rest } = options;
  return {
    ...rest,
    logger,
    telemetryOptions: {
      // Forwarded: without it the SDK core prints its own multi-line records straight to the console, past the logger.
      logging: { filter, forward: {} },
      ...(operations.workerMetricsAddress
        ? {
            metrics: {
              // Prometheus' conventions: counters end in _total, durations in seconds.
              prometheus: {
                bindAddress: operations.workerMetricsAddress,
                countersTotalSuffix: true,
                unitSuffix: true,
                useSecondsForDurations: true,
              },
            },
          }
        : {}),
    },
  };
}
