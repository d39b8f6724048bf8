import { fileURLToPath } from 'node:url';
import type { ConnectionPlugin } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes';
import { installRuntime, testDataConverter } from './harness';

const server = fileURLToPath(new URL('../../scripts/time-skipping-server/run', import.meta.url));

/**
 * The Java server (grpc-java defaults) allows a client keepalive ping at most every 5 minutes; the SDK's client
 * pings every 30 s, so on a long call (a time skip on a busy machine) the server drops the connection with
 * "too many pings", and the call with it. Ping less often than the server allows.
 */
const javaServerKeepalive: ConnectionPlugin = {
  name: 'lekdicht-java-test-server-keepalive',
  configureConnection: (options) => ({
    ...options,
    channelArgs: {
      ...options.channelArgs,
      'grpc.keepalive_time_ms': 6 * 60_000,
      'grpc.keepalive_permit_without_calls': 0,
    },
  }),
};

/**
 * Temporal's time-skipping test server (Java, from Maven Central), for timelines of days and months.
 * Time is global to the server, so a test file gets one of its own and runs its tests in sequence.
 */
export async function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  installRuntime();
  // env.client starts the workflows the harness's worker runs: it must encrypt with the same keys.
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: server } },
    plugins: [javaServerKeepalive],
    client: { dataConverter: testDataConverter() },
  });
  const namespace = env.namespace ?? 'default';
  const searchAttributes = Object.fromEntries(
    Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) => [
      name,
      encodeSearchAttributeIndexedValueType(
        type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase() as 'KEYWORD',
      ) as number,
    ]),
  );
  await env.connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  return env;
}
