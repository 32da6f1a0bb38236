// Lighthouse 12 (the default, mobile preset) on the app's pages, one run each, in
// Debian's headless Chromium. A page marked signed-in gets the session cookie of a
// sign-in made here through the form (sent with Lighthouse's `extraHeaders`, which
// outlive its storage reset); a public page is measured without it.
// node e2e/lighthouse.mjs <base url> <company> <login> <password> <report dir> <pages JSON>
//   pages JSON: [{"name": "home", "path": "/app/", "signedIn": true}, …]
// Each page's report is saved as lighthouse-<name>.html and .json in the report dir; the
// scores (0–1) go to stdout as one JSON line per page and, together, to
// lighthouse-scores.json.
import { writeFileSync } from 'node:fs';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const [base, company, login, password, reports, pagesJson] = process.argv.slice(2);
const pages = JSON.parse(pagesJson);
const CATEGORIES = ['performance', 'accessibility', 'best-practices'];

/// The app's session cookie (`roomd_app=…`), from signing in as a browser would.
async function signIn() {
  const form = new URLSearchParams({ company, login, password });
  const response = await fetch(`${base}/app/login`, { method: 'POST', body: form, redirect: 'manual' });
  const cookie = (response.headers.get('set-cookie') || '').split(';')[0];
  if (response.status !== 303 || !cookie.startsWith('roomd_app=')) {
    throw new Error(`sign-in refused: HTTP ${response.status}`);
  }
  return cookie;
}

const cookie = await signIn();
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM || '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
                '--disable-component-update', '--disable-sync'],
});
const scores = {};
try {
  for (const { name, path, signedIn } of pages) {
    const flags = {
      port: chrome.port, output: ['html', 'json'], logLevel: 'error', onlyCategories: CATEGORIES,
      extraHeaders: signedIn ? { Cookie: cookie } : undefined,
    };
    const result = await lighthouse(`${base}${path}`, flags);
    const [html, json] = result.report;
    writeFileSync(`${reports}/lighthouse-${name}.html`, html);
    writeFileSync(`${reports}/lighthouse-${name}.json`, json);
    const lhr = result.lhr;
    const page = Object.fromEntries(CATEGORIES.map((c) => [c, lhr.categories[c].score]));
    // What cost points, so a failure says where to look without opening the report.
    page.failing = Object.values(lhr.audits)
      .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'informative'
                     && a.scoreDisplayMode !== 'notApplicable' && a.scoreDisplayMode !== 'manual')
      .map((a) => `${a.id} ${a.score}${a.displayValue ? ` (${a.displayValue})` : ''}`);
    page.url = lhr.finalDisplayedUrl;
    scores[name] = page;
    console.log(JSON.stringify({ page: name, ...page }));
  }
  writeFileSync(`${reports}/lighthouse-scores.json`, `${JSON.stringify(scores, null, 2)}\n`);
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await chrome.kill();
}
