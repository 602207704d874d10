import { tollgateProject } from '@tollgate/vitest-config/project';

const project = tollgateProject('web', { environment: 'jsdom' });

// Component tests run in jsdom; the browser tests in e2e/ (a real api process and Chromium) declare
// `@vitest-environment node` themselves and get a longer timeout there.
export default {
  ...project,
  test: { ...project.test, include: [...(project.test?.include ?? []), 'e2e/**/*.test.ts'] },
};
