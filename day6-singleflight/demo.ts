// Plays GeeCache's run.sh: nodes on 8001-8003, the API on 9999 beside 8003, three
// requests for Tom at once, every process stopped. Run here: npm run demo (no flags)
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

if (process.argv.length > 2) {
  (process.argv[2] === '--help' ? console.log : console.error)('Usage: npm run demo (no flags: three nodes on 8001-8003, the API on 9999)');
  process.exit(process.argv[2] === '--help' ? 0 : 2);
}

const children: ChildProcess[] = [];

/** Starts a node and prints its lines behind its port; resolves once it logs `ready`, rejects if it exits. */
function startNode(port: string, ready: string, ...args: string[]): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts', '--port', port, ...args], {
    cwd: import.meta.dirname,
    stdio: ['ignore', 'pipe', 'inherit'], // errors, such as a port in use, go straight to the terminal
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      console.log(`${port} | ${line}`);
      if (line.replace(/^\S+ \S+ /, '').startsWith(ready)) resolve(); // the text behind the time
    });
    child.once('exit', (code) => reject(new Error(`the node on ${port} exited with code ${code}`)));
  });
}

/** Stops every node still running, and waits until each has exited. */
async function stopAll(): Promise<void> {
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
  await Promise.all(running.map((child) => (child.kill(), once(child, 'exit'))));
}

// Ctrl-C, a plain kill, or a closed terminal: stop the nodes in every case.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => void stopAll().then(() => process.exit(130)));
}

try {
  // Each database load takes 200 ms, so the three requests surely overlap.
  const delay = ['--delay', '200'];
  await Promise.all([
    startNode('8001', 'geecache is running', ...delay),
    startNode('8002', 'geecache is running', ...delay),
    startNode('8003', 'api is running', '--api', ...delay),
  ]);
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
