import { parseArgs } from 'node:util';

/** The help text of main.ts. */
export const usage = `Usage: main.ts [options]
  --port N        port to listen on, 0 for any free port (default 9999)
  --db FILE       a JSON object of key to value, instead of the three scores
  --delay MS      each database load waits this long first (default 0)
  --help          show this help`;

/**
 * Parses and checks main.ts's arguments.
 * @throws Error for an unknown flag or a bad value, saying what is wrong.
 */
export function parseFlags(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      help: { type: 'boolean', default: false },
      port: { type: 'string', default: '9999' },
      db: { type: 'string' },
      delay: { type: 'string', default: '0' },
    },
  });
  return {
    help: values.help,
    port: wholeNumber('--port', values.port, 65535),
    db: values.db,
    delayMs: wholeNumber('--delay', values.delay, 2 ** 31 - 1),
  };
}

function wholeNumber(flag: string, text: string, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > max) {
    throw new Error(`${flag} must be a whole number from 0 to ${max}, got "${text}"`);
  }
  return n;
}
