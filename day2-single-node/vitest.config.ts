import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'day2-single-node',
  },
});
