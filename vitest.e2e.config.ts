import { defineConfig } from 'vitest/config';

// End-to-end: the real renderer build in Debian Chromium against `npm run web`'s host.
export default defineConfig({
  test: {
    setupFiles: ['tests/support/remove-temp-dirs.ts'],
    include: ['tests/e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
