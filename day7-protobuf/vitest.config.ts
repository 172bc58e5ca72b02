import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'day7-protobuf',
  },
});
