// A headless Chromium for browser tests, with nothing to install by hand: the build the npm
// package @sparticuz/chromium ships (unpacked into the temp dir on first use), the same on
// every machine; CHROMIUM_PATH names another one. Background networking is off: this
// machine's network is closed, and Chromium would keep trying.
import { existsSync } from 'node:fs';
import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser } from 'playwright-core';

const QUIET = ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const SYSTEM = ['--headless', '--no-sandbox', '--disable-gpu', ...QUIET];

/** Where the browser comes from, for the test's own log line. */
export async function browserExecutable(): Promise<{ readonly path: string; readonly args: readonly string[]; readonly source: string }> {
  const given = process.env.CHROMIUM_PATH;
  if (given && existsSync(given)) return { path: given, args: SYSTEM, source: 'CHROMIUM_PATH' };
  return { path: await sparticuz.executablePath(), args: [...sparticuz.args, ...QUIET], source: '@sparticuz/chromium' };
}

export async function launchBrowser(): Promise<Browser> {
  const { path, args } = await browserExecutable();
  // A fresh temporary profile per launch (playwright's default), removed on close.
  return chromium.launch({ executablePath: path, args: [...args] });
}
