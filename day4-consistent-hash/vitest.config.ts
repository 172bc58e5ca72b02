import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'day4-consistent-hash',
  },
});
