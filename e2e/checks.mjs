// What every page of the app is held to, shared by the browser scripts: no axe-core
// violation, nothing wider than 320 px, at most 100 KB with its stylesheet and scripts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/// Debian's headless Chromium, without its calls home.
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
}

/// `{violations, weight, overflow}` of the page as it is now.
export async function pageChecks(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const violations = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  const weight = await page.evaluate(() => [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')]
    .reduce((sum, e) => sum + (e.decodedBodySize || 0), 0));
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 640 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await page.setViewportSize(viewport);
  return { violations, weight, overflow };
}

/// What a script's pages were held to, by name, and every request that left roomd:
/// `open` a page of a viewport and locale (a phone below 500 px), `check` it as it is now.
export function watch(browser, base) {
  const origin = new URL(base).origin;
  const seen = { checks: {}, outside: [] };
  seen.open = async (viewport, locale, extra = {}) => {
    const ctx = await browser.newContext({
      viewport, locale, isMobile: viewport.width < 500, hasTouch: viewport.width < 500, ...extra,
    });
    const page = await ctx.newPage();
    page.on('request', (r) => { if (!r.url().startsWith(origin)) seen.outside.push(r.url()); });
    return page;
  };
  seen.check = async (page, name) => { seen.checks[name] = await pageChecks(page); };
  return seen;
}

/// Signs `page` in to the app in Chinese and waits for the home page.
export async function signIn(page, base, company, login, password) {
  await page.goto(`${base}/app/login?company=${company}&lang=zh`);
  await page.getByLabel('账号、手机号或邮箱').fill(login);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('heading', { name: '我的会议' }).waitFor();
}
