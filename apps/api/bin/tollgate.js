#!/usr/bin/env node
// The `tollgate` command (PRODUCT.md §11). The root package depends on @tollgate/api, so pnpm links this bin
// into node_modules/.bin and `pnpm tollgate …` runs it through pnpm's exec fallback: no script banner
// echoing the arguments (a password among them) onto stdout. Plain JavaScript so that Node 20 runs it; tsx
// then loads the TypeScript CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
