import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { canConnect } from '../../devstack/ports';
import { startTemporalCluster, stopTemporalClusterAt, type TemporalCluster } from '../../devstack/temporal-cluster';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes';

/** The pid of a process still running, or false. */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('devstack/temporal-cluster.ts: PostgreSQL and the real Temporal server, up and down', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lekdicht-cluster-test-'));
  let cluster: TemporalCluster | undefined;
  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the default namespace with the four search attributes on SQL visibility, and stops without leftovers', async () => {
    // Detached, as `stack:production up` runs it: stopped from cluster.json, as `down` does.
    cluster = await startTemporalCluster({ dir, detached: true });
    const state = JSON.parse(readFileSync(join(dir, 'cluster.json'), 'utf8')) as {
      serverPid: number;
      postgresDir: string;
    };
    expect(alive(state.serverPid)).toBe(true);
    expect(cluster.namespace).toBe('default');
    expect(cluster.databaseUrl).toBe(`postgres://postgres@127.0.0.1:${cluster.postgres.port}/lekdicht`);

    const connection = await Connection.connect({ address: cluster.address });
    try {
      const { namespaceInfo } = await connection.workflowService.describeNamespace({ namespace: 'default' });
      expect(namespaceInfo?.name).toBe('default');
      const { customAttributes } = await connection.operatorService.listSearchAttributes({
        namespace: 'default',
      });
      expect(Object.keys(customAttributes ?? {}).sort()).toEqual(Object.keys(SEARCH_ATTRIBUTES).sort());
      // Membership ports fit cluster_membership.rpc_port (SMALLINT); the server refused none of them.
      const config = parseYaml(readFileSync(join(dir, 'config', 'lekdicht.yaml'), 'utf8')) as {
        services: Record<string, { rpc: { membershipPort: number } }>;
      };
      const ports = Object.values(config.services).map((s) => s.rpc.membershipPort);
      expect(ports).toHaveLength(4);
      for (const port of ports) expect(port).toBeLessThanOrEqual(32_767);
    } finally {
      await connection.close();
    }

    expect(await stopTemporalClusterAt(dir)).toBe(true);
    expect(alive(state.serverPid)).toBe(false);
    expect(await canConnect(cluster.postgres.host, cluster.postgres.port)).toBe(false);
    expect(existsSync(state.postgresDir)).toBe(false);
    expect(existsSync(join(dir, 'cluster.json'))).toBe(false);
    expect(await stopTemporalClusterAt(dir)).toBe(false);
    cluster = undefined;
  });
});
