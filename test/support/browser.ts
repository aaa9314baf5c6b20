import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { checkBrowserResponse } from './api-contract';

/** Debian's Chromium, installed by test/support/ensure-test-tools.sh; CHROMIUM_PATH overrides. */
/** Where the browser tests leave their screenshots (git-ignored, with the local data). */
export const SCREENSHOTS = path.resolve(import.meta.dirname, '../../.redress/screenshots');

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Fix: bash test/support/ensure-test-tools.sh (or set CHROMIUM_PATH)`,
    );
  // The flags keep Chromium off the network: this machine reaches only loopback.
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Every response a page of this browser receives from a watched API is checked against its description. */
function checkWhatPagesReceive(browser: Browser): void {
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args) => {
    const context = await newContext(...args);
    context.on('response', checkBrowserResponse);
    return context;
  };
  browser.newPage = async (...args) => {
    const context = await browser.newContext(...args);
    const page = await context.newPage();
    // As Browser.newPage does: the page owns its context.
    page.on('close', () => void context.close().catch(() => undefined));
    return page;
  };
}

/** A browser for the describe block it is called in: launched before its tests, closed after. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
    checkWhatPagesReceive(browser);
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser)
      throw new Error(
        'the browser is not launched yet: call useBrowser() in a describe block and use it inside its tests',
      );
    return browser;
  };
}
