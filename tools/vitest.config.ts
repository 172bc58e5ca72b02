import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  cacheDir: '../node_modules/.vite',
  test: {
    name: 'chapters',
    // The course walk runs every day's tests again: npm test gives it a run of its own.
    exclude: [...configDefaults.exclude, 'learn-walk.test.ts'],
  },
});
