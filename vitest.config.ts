import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    setupFiles: ['tests/support/remove-temp-dirs.ts'],
    include: ['tests/unit/**/*.test.ts', 'tests/ipc/**/*.test.ts'],
    // Two test files at a time: CI has two cores, and most files wait on processes,
    // threads and disk more than on the CPU (the suite took 640 s one at a time, 400 s
    // two at a time). The timeouts leave room for a file slowed by its neighbour
    // (the longest test, a CLI run of many commands, took 43 s beside another).
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
