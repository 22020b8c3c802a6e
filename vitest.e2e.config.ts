import { defineConfig } from 'vitest/config';

// End-to-end specs: real Chromium, the built extension, one spec file per user journey.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.spec.ts'],
    environment: 'node',
    testTimeout: 90_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // Two cores: one browser at a time keeps timings stable and CI under its limit.
    maxWorkers: 1,
  },
});
