import { defineConfig } from 'vitest/config';

// One project per day folder (each folder's vitest.config.ts names it), and tools/.
export default defineConfig({
  test: {
    projects: ['day*', 'tools'],
    reporters: ['default', './tools/chapter-counts-reporter.ts', './tools/summary-reporter.ts'],
  },
});
