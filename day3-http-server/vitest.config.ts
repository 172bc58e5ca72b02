import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'day3-http-server',
  },
});
