/**
 * `npm run stack:production -- up|down`: the production-shaped stack (devstack/temporal-cluster.ts) for a shell.
 * `up` starts PostgreSQL and the real Temporal server in the background and prints what to export; `down` stops
 * them and removes their files. The stack's files live in LEKDICHT_STACK_DIR (default data/production-stack).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTemporalCluster, stopTemporalClusterAt } from './temporal-cluster';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const dir = process.env.LEKDICHT_STACK_DIR ?? join(REPO_ROOT, 'data', 'production-stack');
const log = (line: string) => process.stderr.write(`stack: ${line}\n`);

async function main(command: string | undefined): Promise<number> {
  if (command === 'down') {
    if (!(await stopTemporalClusterAt(dir, log))) log(`nothing running (no ${join(dir, 'cluster.json')})`);
    return 0;
  }
  if (command !== 'up') {
    process.stderr.write('usage: npm run stack:production -- up|down\n');
    return 2;
  }
  // One stack per directory: an earlier `up` is taken down first rather than left running without its record.
  if (existsSync(join(dir, 'cluster.json'))) {
    log(`replacing the stack in ${dir}`);
    await stopTemporalClusterAt(dir, log);
  }
  const cluster = await startTemporalCluster({ dir, detached: true, log });
  process.stdout.write(
    [
      `export TEMPORAL_ADDRESS=${cluster.address}`,
      `export TEMPORAL_NAMESPACE=${cluster.namespace}`,
      `export LEKDICHT_DATABASE_URL=${cluster.databaseUrl}`,
      '',
    ].join('\n'),
  );
  log(`stop with: npm run stack:production -- down`);
  return 0;
}

process.exitCode = await main(process.argv[2]);
