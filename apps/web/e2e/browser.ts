/**
 * Which Chromium-family browser the browser tests drive through playwright-core. In this order:
 * 1. `TOLLGATE_BROWSER`, the path of a browser executable (set but missing is an error, never a skip);
 * 2. the usual install locations of Debian's and Ubuntu's Chromium, Google Chrome and Edge, and those names on PATH;
 * 3. the Chromium that Playwright downloads (`npx playwright-core install chromium`), if it is there.
 * When none is found the browser tests are skipped with one loud line saying how to enable them, except under
 * `CI=true`, where a missing browser fails the run: CI must never pass without having run them.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium } from 'playwright-core';

export const BROWSER_VARIABLE = 'TOLLGATE_BROWSER';

/** Absolute locations, Linux first (Debian, Ubuntu's snap, Google's packages), then macOS. */
const KNOWN_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/usr/bin/microsoft-edge',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** Executable names looked up on PATH, for installs outside the usual places. */
const KNOWN_NAMES = [
  'chromium',
  'chromium-browser',
  'google-chrome',
  'google-chrome-stable',
  'microsoft-edge',
];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where Playwright's downloaded Chromium would be (it may not be there); '' on a platform it has none for. */
function playwrightChromium(): string {
  try {
    return chromium.executablePath();
  } catch {
    return '';
  }
}

const HOW_TO_ENABLE =
  `install Chromium or Chrome (Debian/Ubuntu: apt-get install chromium), set ${BROWSER_VARIABLE}=/path/to/chrome, ` +
  'or download Playwright\'s own with "pnpm --filter @tollgate/web exec playwright-core install chromium"';

/**
 * The executable to launch, or null after printing the skip line. Throws when `TOLLGATE_BROWSER` names
 * something that is not an executable, or when there is no browser under CI=true.
 */
export function findBrowser(env: NodeJS.ProcessEnv = process.env): string | null {
  const named = env[BROWSER_VARIABLE];
  if (named) {
    if (isExecutable(named)) return named;
    throw new Error(`${BROWSER_VARIABLE}=${named} is not an executable browser`);
  }
  const onPath = (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .flatMap((directory) => KNOWN_NAMES.map((name) => join(directory, name)));
  const found = [...KNOWN_PATHS, ...onPath, playwrightChromium()].find(isExecutable);
  if (found) return found;
  if (env.CI === 'true') {
    throw new Error(`CI=true and no browser for the browser tests: ${HOW_TO_ENABLE}`);
  }
  process.stderr.write(
    `\n*** SKIPPED the browser tests (apps/web/e2e): no Chromium or Chrome found. To run them, ${HOW_TO_ENABLE}. ***\n\n`,
  );
  return null;
}
