// What every app page is held to in the browser tests: no axe-core violation, nothing
// wider than 320 px, at most 100 KB with what it loads, nothing from outside roomd.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
}

export function pageChecks(base) {
  const origin = new URL(base).origin;
  const outside = [];
  const checks = {};
  return {
    outside,
    checks,
    // A page of `viewport` in `locale`, its requests watched.
    async open(browser, viewport, locale, extra = {}) {
      const ctx = await browser.newContext({
        viewport, locale, isMobile: viewport.width < 500, hasTouch: viewport.width < 500, ...extra,
      });
      const page = await ctx.newPage();
      page.on('request', (r) => { if (!r.url().startsWith(origin)) outside.push(r.url()); });
      return page;
    },
    async check(page, name) {
      await page.evaluate(axeSource);
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      const violations = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      const weight = await page.evaluate(() => [performance.getEntriesByType('navigation')[0],
        ...performance.getEntriesByType('resource')].reduce((sum, e) => sum + (e.decodedBodySize || 0), 0));
      const viewport = page.viewportSize();
      await page.setViewportSize({ width: 320, height: 640 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      await page.setViewportSize(viewport);
      checks[name] = { violations, weight, overflow };
    },
  };
}
