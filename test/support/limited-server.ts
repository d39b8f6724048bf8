import { spawn } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes';
import { freePort } from '../../devstack/ports';
import { findTemporalCli } from '../../devstack/temporal-cli';
import { eventually, testDataConverter } from './harness';

/** A Temporal dev server of a test's own, with some of Temporal's limits lowered (dynamic config). */
export interface LimitedServer {
  address: string;
  namespace: 'default';
  connection: Connection;
  /** With the run's codec, like the harness's own client. */
  client: Client;
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` with lekdicht's search attributes and the given dynamic config values
 * (`KEY=VALUE`), e.g. a history limit of 150 events so a test does in seconds what an attack does in minutes.
 */
export async function startLimitedServer(dynamicConfig: string[]): Promise<LimitedServer> {
  const cli = findTemporalCli();
  if (!cli) throw new Error('the temporal CLI is needed (scripts/install-temporal-cli, or TEMPORAL_CLI_PATH)');
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const server = spawn(
    cli,
    [
      'server',
      'start-dev',
      '--headless',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--http-port',
      String(await freePort()),
      '--metrics-port',
      String(await freePort()),
      '--log-level',
      'error',
      ...dynamicConfig.flatMap((value) => ['--dynamic-config-value', value]),
      ...Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
    ],
    { stdio: 'ignore' },
  );
  try {
    const connection = await eventually(
      async () => {
        const c = await Connection.connect({ address });
        await c.workflowService.describeNamespace({ namespace: 'default' });
        return c;
      },
      'the limited dev server',
      60_000,
    );
    const client = new Client({ connection, namespace: 'default', dataConverter: testDataConverter() });
    return {
      address,
      namespace: 'default',
      connection,
      client,
      stop: async () => {
        await connection.close();
        server.kill('SIGTERM');
      },
    };
  } catch (err) {
    server.kill('SIGTERM');
    throw err;
  }
}
