import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium; `.ci/run` installs it with apt when it is missing. */
export const CHROMIUM = '/usr/bin/chromium';

/** Where screenshots go for a person to look at (gitignored). */
export const REPORT_DIR = path.resolve(__dirname, '..', '..', 'test-reports', 'render');

const hasChromium = fs.existsSync(CHROMIUM);

/** `describe`, or `describe.skip` with one line saying why when Chromium is absent. */
export function describeInBrowser(name: string, body: () => void): void {
  if (!hasChromium) {
    // eslint-disable-next-line no-console
    console.warn(`skipping '${name}': ${CHROMIUM} is absent (apt-get install -y chromium)`);
    describe.skip(name, body);
    return;
  }
  describe(name, body);
}

/** One headless Chromium for a test file, with a fresh profile directory that close() removes. */
export interface BrowserSession {
  readonly page: Page;
  /** Console errors and uncaught page errors since the last reset. */
  readonly errors: string[];
  close(): Promise<void>;
}

/** What a test file's browser may reach, and how names resolve in it. */
export interface BrowserOptions {
  /**
   * Requests the page may send: any other is aborted and noted in `errors`.
   * @default - none but `data:` and `about:` (a self-contained page)
   */
  readonly allow?: RegExp;
  /**
   * Chromium's `--host-resolver-rules`, e.g. `MAP evil.test 127.0.0.1` for a name that resolves to loopback.
   * @default - the system's resolver
   */
  readonly hostResolverRules?: string;
}

/**
 * Launches Chromium once (one browser, one page, reused by every test of
 * the file) with no network features, no sandbox (containers) and a
 * throwaway profile.
 */
export async function openBrowser(options: BrowserOptions = {}): Promise<BrowserSession> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-chromium-'));
  let context: BrowserContext | undefined;
  let browser: Browser | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        ...(options.hostResolverRules !== undefined ? [`--host-resolver-rules=${options.hostResolverRules}`] : []),
      ],
      viewport: { width: 1400, height: 900 },
    });
    browser = context.browser() ?? undefined;
  } catch (e) {
    fs.rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  const page = context.pages()[0] ?? await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  // Nothing the page does may reach the network but what the test allows: by default the HTML must be self-contained.
  const allow = options.allow ?? /^(data|about):/;
  await page.route((url) => !allow.test(url.href), (route) => {
    errors.push(`network request: ${route.request().url()}`);
    return route.abort();
  });
  return {
    page,
    errors,
    async close() {
      await context?.close();
      await browser?.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
