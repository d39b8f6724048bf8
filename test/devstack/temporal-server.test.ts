import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Connection } from '@temporalio/client';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { provisionTemporal, type TemporalTarget } from '../../devstack/temporal-server';
import { findTemporalCli } from '../../devstack/temporal-cli';
import { freePort, portIsFree } from '../../devstack/ports';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SERVER_MODULE = pathToFileURL(join(REPO_ROOT, 'devstack/temporal-server.ts')).href;

// temporal.api.enums.v1.IndexedValueType, spelled out so the test does not share the code's mapping.
const INDEXED_KEYWORD = 2;
const INDEXED_DATETIME = 6;

const tempDirs: string[] = [];
function tempDir(prefix = 'lekdicht-ts-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

const started: TemporalTarget[] = [];
const children: ChildProcess[] = [];
const persistentDataDirs: string[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((t) => t.stop()));
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  // A failing test must not leave orphaned servers behind for the next run.
  for (const dir of persistentDataDirs.splice(0)) {
    const pid = existsSync(join(dir, 'temporal.pid')) ? serverPidOf(dir) : 0;
    if (pid > 0 && isRunning(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('start-dev'))
      process.kill(pid, 'SIGKILL');
  }
});
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** The developer's shell may point TEMPORAL_ADDRESS at a real server; these tests want the embedded path. */
function embeddedEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.TEMPORAL_ADDRESS;
  return env;
}

function fakeExecutable(dir: string, name = 'temporal', body = 'exit 0'): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

/** Alive and not a zombie (a killed orphan may linger unreaped in a container). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return true;
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return condition();
}

function serverPidOf(dataDir: string): number {
  return Number(readFileSync(join(dataDir, 'temporal.pid'), 'utf8').split('\n')[0]);
}

async function describeDefault(address: string, namespace = 'default') {
  const connection = await Connection.connect({ address });
  try {
    return await connection.workflowService.describeNamespace({ namespace });
  } finally {
    await connection.close();
  }
}

/**
 * Another process (as `npm start` would be) that provisions a persistent server on dataDir and port.
 * mode 'hold' keeps running (and stops its server on SIGTERM); mode 'exit' exits without calling stop().
 * Plain `node --import tsx` rather than the tsx CLI: a SIGKILL must hit the process that owns the server.
 */
async function provisionInChild(
  dataDir: string,
  port: number,
  mode: 'hold' | 'exit',
): Promise<{ child: ChildProcess; address: string }> {
  persistentDataDirs.push(dataDir);
  const script = join(dataDir, `child-${mode}.mjs`);
  writeFileSync(
    script,
    `import { provisionTemporal } from ${JSON.stringify(SERVER_MODULE)};
const env = { ...process.env }; delete env.TEMPORAL_ADDRESS;
const target = await provisionTemporal({ env, dataDir: ${JSON.stringify(dataDir)}, port: ${port}, uiPort: null });
process.on('SIGTERM', () => target.stop().then(() => process.exit(0)));
process.stdout.write(JSON.stringify({ address: target.address }) + '\\n');
if (${JSON.stringify(mode)} === 'exit') process.exit(0);
setInterval(() => {}, 1 << 30);
`,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { address: string }).address);
    });
    child.once('exit', (code) => reject(new Error(`child exited with ${code} before its server was ready: ${stderr}`)));
  });
  return { child, address };
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

describe('findTemporalCli', () => {
  it('prefers TEMPORAL_CLI_PATH, then PATH, then ~/go/bin, and skips files that are not executable', () => {
    const root = tempDir();
    const home = join(root, 'home');
    mkdirSync(home);
    const explicit = fakeExecutable(join(root, 'explicit'), 'my-temporal');
    const onPath = fakeExecutable(join(root, 'bin'));
    const emptyDir = join(root, 'empty');
    mkdirSync(emptyDir);
    const notExecutable = join(root, 'not-exec', 'temporal');
    mkdirSync(join(root, 'not-exec'));
    writeFileSync(notExecutable, '#!/bin/sh\n');

    // PATH holds no `go`, so the Go lookup cannot reach the machine's real GOPATH.
    const pathList = [join(root, 'not-exec'), emptyDir, join(root, 'bin')].join(':');
    expect(findTemporalCli({ TEMPORAL_CLI_PATH: explicit, PATH: pathList, HOME: home })).toBe(explicit);
    expect(findTemporalCli({ PATH: pathList, HOME: home })).toBe(onPath);
    expect(findTemporalCli({ TEMPORAL_CLI_PATH: notExecutable, PATH: pathList, HOME: home })).toBe(onPath);
    expect(findTemporalCli({ TEMPORAL_CLI_PATH: join(root, 'missing'), PATH: pathList, HOME: home })).toBe(onPath);

    expect(findTemporalCli({ PATH: emptyDir, HOME: home })).toBeUndefined();
    const goDefault = fakeExecutable(join(home, 'go', 'bin'));
    expect(findTemporalCli({ PATH: emptyDir, HOME: home })).toBe(goDefault);
  });

  it('asks `go env` for GOPATH when go is on PATH', () => {
    const root = tempDir();
    const gopath = join(root, 'gopath');
    const installed = fakeExecutable(join(gopath, 'bin'));
    const goBin = join(root, 'gobin');
    fakeExecutable(goBin, 'go', `[ "$1" = env ] && printf '\\n%s\\n' ${JSON.stringify(gopath)}`);
    expect(findTemporalCli({ PATH: goBin, HOME: join(root, 'nohome') })).toBe(installed);
  });
});

describe('provisionTemporal, embedded', () => {
  it('starts an in-memory dev server on free ports with the namespace and search attributes, and frees the port on stop', async () => {
    const dataDir = tempDir();
    const lines: string[] = [];
    const target = await provisionTemporal({
      env: embeddedEnv(),
      dataDir,
      dbFile: null,
      port: 0,
      uiPort: null,
      log: (l) => lines.push(l),
    });
    started.push(target);

    expect(target.embedded).toBe(true);
    expect(target.namespace).toBe('default');
    expect(target.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(target.connectionOptions.address).toBe(target.address);
    expect(target.uiUrl).toBeUndefined();
    expect(lines.some((l) => l.includes('Temporal CLI:'))).toBe(true);
    // In memory: nothing persistent is written to the data directory.
    expect(existsSync(join(dataDir, 'temporal.db'))).toBe(false);

    const port = Number(target.address.split(':')[1]);
    expect(port).not.toBe(7233);
    const connection = await Connection.connect(target.connectionOptions);
    try {
      const ns = await connection.workflowService.describeNamespace({ namespace: 'default' });
      expect(ns.namespaceInfo?.name).toBe('default');
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
      expect(customAttributes?.BreachPhase).toBe(INDEXED_KEYWORD);
      expect(customAttributes?.NotificationDeadline).toBe(INDEXED_DATETIME);
      expect(Object.keys(customAttributes ?? {})).toEqual(
        expect.arrayContaining(['SeverityBand', 'AuthorityNotified']),
      );
    } finally {
      await connection.close();
    }

    await target.stop();
    await target.stop(); // idempotent
    expect(await portIsFree(port)).toBe(true);
  });

  it('serves the UI on the requested port and a custom namespace', async () => {
    const target = await provisionTemporal({
      env: embeddedEnv(),
      dataDir: tempDir(),
      dbFile: null,
      port: 0,
      uiPort: 0,
      namespace: 'lekdicht-test',
    });
    started.push(target);
    expect(target.namespace).toBe('lekdicht-test');
    expect(target.uiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(target.uiUrl!);
    expect(res.status).toBe(200);
    const ns = await describeDefault(target.address, 'lekdicht-test');
    expect(ns.namespaceInfo?.name).toBe('lekdicht-test');
  });

  it('refuses a fixed port that another program holds, naming the port and TEMPORAL_ADDRESS', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(
        provisionTemporal({ env: embeddedEnv(), dataDir: tempDir(), dbFile: null, port, uiPort: null }),
      ).rejects.toThrow(new RegExp(`port ${port}.*TEMPORAL_ADDRESS`, 's'));
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('replaces a stale server left behind by a killed run on the same data directory and port', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const { child } = await provisionInChild(dataDir, port, 'hold');
    const stalePid = serverPidOf(dataDir);
    expect(isRunning(stalePid)).toBe(true);

    // The owner dies without any chance to clean up: its server is orphaned and keeps the port.
    child.kill('SIGKILL');
    await exitOf(child);
    expect(isRunning(stalePid)).toBe(true);
    expect(await portIsFree(port)).toBe(false);

    const target = await provisionTemporal({ env: embeddedEnv(), dataDir, port, uiPort: null });
    started.push(target);
    expect(target.address).toBe(`127.0.0.1:${port}`);
    expect(isRunning(stalePid)).toBe(false);
    const newPid = serverPidOf(dataDir);
    expect(newPid).not.toBe(stalePid);
    expect(isRunning(newPid)).toBe(true);
    expect((await describeDefault(target.address)).namespaceInfo?.name).toBe('default');
    expect(existsSync(join(dataDir, 'temporal.db'))).toBe(true);

    await target.stop();
    expect(isRunning(newPid)).toBe(false);
    expect(existsSync(join(dataDir, 'temporal.pid'))).toBe(false);
  });

  it('does not take the server away from another live process on the same data directory', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const { child, address } = await provisionInChild(dataDir, port, 'hold');
    const pid = serverPidOf(dataDir);

    await expect(provisionTemporal({ env: embeddedEnv(), dataDir, port, uiPort: null })).rejects.toThrow(
      /in use by another running process/,
    );
    expect(isRunning(pid)).toBe(true);
    expect((await describeDefault(address)).namespaceInfo?.name).toBe('default');

    child.kill('SIGTERM');
    await exitOf(child);
    expect(await waitFor(() => !isRunning(pid), 15_000)).toBe(true);
  });

  it('stops the server when its owner process exits without calling stop()', async () => {
    const dataDir = tempDir();
    const { child } = await provisionInChild(dataDir, await freePort(), 'exit');
    const pid = serverPidOf(dataDir);
    await exitOf(child);
    expect(await waitFor(() => !isRunning(pid), 15_000)).toBe(true);
  });
});

describe('provisionTemporal, external', () => {
  it('uses TEMPORAL_ADDRESS and the env-config variables without starting anything', async () => {
    const root = tempDir();
    const marker = join(root, 'spawned');
    // Were anything started, this "CLI" would leave a marker behind.
    const cli = fakeExecutable(join(root, 'bin'), 'temporal', `touch ${JSON.stringify(marker)}`);
    const dataDir = join(root, 'data');
    const env = {
      PATH: join(root, 'bin'),
      HOME: root,
      TEMPORAL_CLI_PATH: cli,
      TEMPORAL_ADDRESS: 'temporal.example.internal:7233',
      TEMPORAL_NAMESPACE: 'breaches',
      TEMPORAL_API_KEY: 'secret-key',
      TEMPORAL_GRPC_META_X_TEAM: 'privacy',
    };
    const target = await provisionTemporal({ env, dataDir });

    expect(target.embedded).toBe(false);
    expect(target.address).toBe('temporal.example.internal:7233');
    expect(target.namespace).toBe('breaches');
    expect(target.connectionOptions).toMatchObject({
      address: 'temporal.example.internal:7233',
      apiKey: 'secret-key',
      tls: true,
    });
    expect(target.connectionOptions.metadata).toMatchObject({ 'x-team': 'privacy' });
    expect(target.uiUrl).toBeUndefined();
    await target.stop();
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(join(dataDir, 'temporal.pid'))).toBe(false);
  });

  it('reads the namespace and TLS from a config-file profile when TEMPORAL_ADDRESS is set', async () => {
    const root = tempDir();
    const configFile = join(root, 'temporal.toml');
    writeFileSync(
      configFile,
      '[profile.prod]\naddress = "ignored.example:7233"\nnamespace = "from-profile"\n[profile.prod.tls]\nserver_name = "temporal.example"\n',
    );
    const target = await provisionTemporal({
      env: {
        HOME: root,
        PATH: '',
        TEMPORAL_ADDRESS: 'override.example:7233',
        TEMPORAL_CONFIG_FILE: configFile,
        TEMPORAL_PROFILE: 'prod',
      },
    });
    expect(target.embedded).toBe(false);
    expect(target.address).toBe('override.example:7233');
    expect(target.namespace).toBe('from-profile');
    expect(target.connectionOptions.tls).toMatchObject({ serverNameOverride: 'temporal.example' });
  });
});
