import type { UserWorkspaceConfig } from 'vitest/config';

export declare function tollgateProject(
  name: string,
  overrides?: { environment?: 'node' | 'jsdom'; testTimeout?: number },
): UserWorkspaceConfig;
