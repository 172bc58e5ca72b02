import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Vitest's cache goes to the root's node_modules, so a tested day folder holds only the day's files.
  cacheDir: '../node_modules/.vite',
  test: {
    name: 'day6-singleflight',
    // Tests that start nodes as processes take seconds on a busy machine.
    testTimeout: 15_000,
  },
});
