// Plays GeeCache's run.sh: three nodes on 8001-8003, the API on 9999 beside
// 8003, three requests for Tom at once, then every process is stopped.
// Run from this folder: npm run demo
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { createInterface } from 'node:readline';

const nodes = [
  { name: '8001', args: ['--port', '8001'] },
  { name: '8002', args: ['--port', '8002'] },
  { name: '8003', args: ['--port', '8003', '--api'] },
];
const ports = [8001, 8002, 8003, 9999];
const children: ChildProcess[] = [];

/** Fails with a clear message when something already listens on `port`. */
async function checkFree(port: number): Promise<void> {
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(port, resolve);
    });
  } catch {
    throw new Error(`port ${port} is already in use: stop what holds it, then run the demo again`);
  }
  await new Promise((resolve) => probe.close(resolve));
}

/** Starts a node and prints each line it logs, prefixed with its name. */
function startNode(name: string, args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts', ...args], { cwd: import.meta.dirname });
  children.push(child);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream! }).on('line', (line) => console.log(`${name} | ${line}`));
  }
  return child;
}

/** Polls until `port` accepts a connection; no fixed sleep, and no request to clutter the logs. */
async function waitUntilAnswering(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the node for port ${port} exited with code ${child.exitCode}`);
    const socket = connect(port, 'localhost');
    try {
      await once(socket, 'connect');
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`nothing answered on port ${port} within 15 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      socket.destroy();
    }
  }
}

/** Stops every node it started, and waits until each has exited. */
async function stopAll(): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'close');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }),
  );
}

// Ctrl-C, a plain kill, or a closed terminal: stop the nodes in every case.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    console.log(`demo: ${signal}, stopping the nodes`);
    void stopAll().then(() => process.exit(130));
  });
}
process.once('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

try {
  for (const port of ports) await checkFree(port);
  const started = nodes.map(({ name, args }) => startNode(name, args));
  await Promise.all(ports.map((port, i) => waitUntilAnswering(port, started[Math.min(i, 2)]!)));
  console.log('demo: >>> start test');
  const answers = await Promise.all(
    [1, 2, 3].map(() => fetch('http://localhost:9999/api?key=Tom').then((res) => res.text())),
  );
  await stopAll();
  console.log(`demo: the three answers: ${answers.join(' ')}`);
} catch (err) {
  console.error(`demo: ${(err as Error).message}`);
  await stopAll();
  process.exitCode = 1;
}
