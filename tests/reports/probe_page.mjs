// Opens an HTML report in Debian's chromium, driven by playwright-core, and
// prints as JSON what actually rendered for each CSS selector given (count,
// visibility, box, rendered text), every request the page tried beyond its
// own file, and console errors; then saves screenshots. It only measures:
// html_report_test.cpp decides. It must never download a browser (it runs
// the system's /usr/bin/chromium) and never reach the network.
//
//   node probe_page.mjs REPORT.html FULL.png TOP.png SELECTOR...
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [html, fullPng, topPng, ...selectors] = process.argv.slice(2);
// Generous bounds: a shared 2-core machine can take a while to start a browser.
const launchTimeoutMs = 120_000, pageTimeoutMs = 60_000;

const profile = mkdtempSync(join(tmpdir(), 'firedrill-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.FIREDRILL_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1100, height: 812 },  // the first screen is docs/html-report.png
  deviceScaleFactor: 1,
  colorScheme: 'light',
  timeout: launchTimeoutMs,
});
try {
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(pageTimeoutMs);
  const url = pathToFileURL(html).href;
  const requests = [], errors = [];
  page.on('request', (r) => { if (r.url() !== url) requests.push(r.url()); });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url, { waitUntil: 'load', timeout: pageTimeoutMs });

  const found = {};
  for (const selector of selectors) {
    // One round trip per selector, measured in page coordinates.
    found[selector] = await page.$$eval(selector, (els) => els.map((el) => {
      const r = el.getBoundingClientRect();
      const box = { x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height };
      const visible = r.width > 0 && r.height > 0 &&
        el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
      const text = (el instanceof HTMLElement ? el.innerText : el.textContent) ?? '';
      return { visible, box, text: text.slice(0, 4000) };
    }));
  }
  await page.screenshot({ path: fullPng, fullPage: true, timeout: pageTimeoutMs });
  await page.screenshot({ path: topPng, fullPage: false, timeout: pageTimeoutMs });
  const version = context.browser()?.version() ?? 'unknown';
  process.stdout.write(JSON.stringify({ browser: version, requests, errors, found }));
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
