import { defineProject } from 'vitest/config';

/** Shared settings for one package's vitest project: tests live next to the code as `*.test.ts(x)`. */
export function tollgateProject(name: string, overrides: { environment?: 'node' | 'jsdom'; testTimeout?: number } = {}) {
  return defineProject({
    test: {
      name,
      include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
      environment: overrides.environment ?? 'node',
      testTimeout: overrides.testTimeout ?? 20_000,
      hookTimeout: 60_000,
    },
  });
}
