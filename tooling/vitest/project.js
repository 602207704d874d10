// Plain JavaScript on purpose: each package's vitest.config.ts imports this through node_modules, where
// Node 20 will not load TypeScript.
import { defineProject } from 'vitest/config';

/**
 * Shared settings for one package's vitest project: tests live next to the code as `*.test.ts(x)`, and
 * integration tests under `test/`.
 * @param {string} name
 * @param {{ environment?: 'node' | 'jsdom'; testTimeout?: number }} [overrides]
 */
export function tollgateProject(name, overrides = {}) {
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
