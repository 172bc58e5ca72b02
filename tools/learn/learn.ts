// npm run learn -- start [day] | check [--watch] | next | status
// Build the cache yourself: learn/ holds your code and the current day's tests; `check` runs
// them and says how far you are, in the chapter's words; `next` moves on when the lesson passes.
import { watch } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { check, dayNamed, next, root, start, status, UsageError } from './learner.js';

const usage = `Usage: npm run learn -- <command>
  start [day]      make learn/: the code of the day before, and the day's tests (default day1-lru)
                   --force: start again over an existing learn/
  check            type-check your code, run the day's tests, say how far you are; --watch: again on each save
  next             move to the next day, once every lesson test passes
  status           which day, and how the last check went`;

const say = (line: string) => console.log(line);
process.stdout.on('error', () => {}); // a reader that has gone (| head) is no reason to crash

try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { force: { type: 'boolean', default: false }, watch: { type: 'boolean', default: false }, dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  // --dir is for the course-walk test; a learner's folder is learn/ at the root.
  const dir = values.dir ? resolve(values.dir) : join(root, 'learn');
  const [command, argument, ...rest] = positionals;
  if (values.help || command === 'help') console.log(usage);
  else if (rest.length > 0 || (argument !== undefined && command !== 'start')) throw new UsageError(`too many arguments: ${positionals.join(' ')}`);
  else if (command === 'start') start(dir, dayNamed(argument ?? 'day1-lru'), values.force, say);
  else if (command === 'check' && values.watch) watchAndCheck(dir);
  else if (command === 'check') process.exitCode = check(dir, say).ok ? 0 : 1;
  else if (command === 'next') process.exitCode = next(dir, say) ? 0 : 1;
  else if (command === 'status') status(dir, say);
  else throw new UsageError(command === undefined ? 'which command?' : `no command "${command}"`);
} catch (err) {
  if (!(err instanceof UsageError) && !(err instanceof TypeError)) throw err;
  console.error(`learn: ${err.message}\n${usage}`);
  process.exitCode = 2;
}

/** Checks now, then again each time a file of the folder changes, until Ctrl-C. */
function watchAndCheck(dir: string): void {
  let timer: NodeJS.Timeout | undefined;
  const run = () => {
    console.clear();
    check(dir, say);
    say('(watching for changes; Ctrl-C to stop)');
  };
  run();
  watch(dir, { recursive: true }, (_, file) => {
    // The check writes its own files, and copies the tests in again: those are not saves.
    if (!file || /^(\.learn|node_modules|geecachepb|testing\.ts)|\.test\.ts$/.test(file)) return;
    clearTimeout(timer);
    timer = setTimeout(run, 300);
  });
}
