import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// The course walk (learn-walk.test.ts), on its own: it runs every day's tests twice, in
// processes of its own, and would slow the other tests down if they ran beside it.
export default defineConfig({
  cacheDir: '../node_modules/.vite',
  test: {
    name: 'course walk',
    root: import.meta.dirname,
    include: ['learn-walk.test.ts'],
    reporters: ['default', join(import.meta.dirname, 'summary-reporter.ts')],
  },
});
