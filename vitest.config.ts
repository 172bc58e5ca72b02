import { defineConfig } from 'vitest/config';

// One project per day folder (each folder's vitest.config.ts names it), tools/, and the live page (web/).
export default defineConfig({
  test: {
    projects: ['day*', 'tools', 'web'],
    reporters: ['default', './tools/chapter-counts-reporter.ts', './tools/summary-reporter.ts'],
  },
});
