// Servers under test run in processes of their own, so the load generator
// does not take their CPU. These helpers start them and clean up.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';

const children: ChildProcess[] = [];
process.once('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

/** The repository's root folder. */
export const root = join(import.meta.dirname, '..');

/** A port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** What happens to a started process's output. */
export interface StartOptions {
  /**
   * `'ignore'` (the default): /dev/null. `'drain'`: a pipe that this process
   * reads and discards as fast as it comes, as a log collector would; the
   * bytes are counted (see `drainedBytes`).
   */
  stdout?: 'ignore' | 'drain';
  /** `'inherit'` (the default): this process's stderr. `'drain'`: as for stdout. */
  stderr?: 'inherit' | 'drain';
}

const drained = new WeakMap<ChildProcess, { bytes: number; tail: string }>();

/** Runs `script` (a .ts file, relative to the repository root) with tsx, in the script's folder. */
export function start(script: string, args: string[], options: StartOptions = {}): ChildProcess {
  return startProgram(process.execPath, ['--import', 'tsx', join(root, script), ...args], join(root, script, '..'), options);
}

/** Runs the executable `file` with `args` in the folder `cwd`. */
export function startProgram(file: string, args: string[], cwd: string, options: StartOptions = {}): ChildProcess {
  const stdout = options.stdout === 'drain' ? 'pipe' : 'ignore';
  const stderr = options.stderr === 'drain' ? 'pipe' : 'inherit';
  const child = spawn(file, args, { cwd, stdio: ['ignore', stdout, stderr] });
  children.push(child);
  const counter = { bytes: 0, tail: '' };
  drained.set(child, counter);
  for (const stream of [child.stdout, child.stderr]) {
    // Read in flowing mode and drop the data: the writer never waits on us.
    stream?.on('data', (chunk: Buffer) => {
      counter.bytes += chunk.length;
      counter.tail = (counter.tail + chunk.toString('utf8', Math.max(0, chunk.length - 2000))).slice(-2000);
    });
  }
  return child;
}

/** Bytes read so far from the pipes of a child started with `'drain'` (0 for others). */
export function drainedBytes(child: ChildProcess): number {
  return drained.get(child)?.bytes ?? 0;
}

/** The last output (up to 2000 characters) read from a child's drained pipes. */
export function drainedTail(child: ChildProcess): string {
  return drained.get(child)?.tail ?? '';
}

/**
 * Resolves once `port` accepts connections (polling, at most 15 s); with
 * `child`, rejects as soon as that process has exited.
 */
export async function waitForPort(port: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child !== undefined && (child.exitCode !== null || child.signalCode !== null)) {
      const said = drainedTail(child).trim();
      throw new Error(`the process meant to listen on port ${port} exited (${child.exitCode ?? child.signalCode})${said ? `: ${said}` : ''}`);
    }
    const socket = connect(port, '127.0.0.1');
    try {
      await once(socket, 'connect');
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`nothing listens on port ${port}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      socket.destroy();
    }
  }
}

/** Stops every process started here and waits for them. */
export async function stopAll(): Promise<void> {
  await Promise.all(
    children.splice(0).map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }),
  );
}
