import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    include: ['test/unit/**/*.test.ts', 'server/test/**/*.test.ts'],
    setupFiles: ['test/unit/setup-i18n.ts'],
    environment: 'node',
    globals: true,
    testTimeout: 20_000,
  },
});
