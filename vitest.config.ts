import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Compiles the example C programs the executable-job tests run.
    globalSetup: ['test/setup/build-executables.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: { name: 'local', include: ['test/**/*.test.ts'], exclude: ['test/ssh/**'] },
      },
      {
        // The SSH test-bed's tests: it is brought up once, only when one of them runs. Its namespaces and
        // nodes are shared, and fault tests kill nodes and cut links, so these files run one at a time,
        // after the others.
        extends: true,
        test: {
          name: 'ssh',
          include: ['test/ssh/**/*.test.ts'],
          globalSetup: ['test/setup/ssh-testbed.ts'],
          fileParallelism: false,
        },
      },
    ],
  },
});
