// The console in headless Chromium: the first start's one-time link sets the admin's
// password, the admin signs in, generates a credential, and configures the event URL
// (the check_url handshake against a live receiver).
// node e2e/console.mjs <setup link> <receiver url> <screenshot dir>
import { chromium } from 'playwright-core';

const [setupLink, receiver, shots] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
const log = (step, data) => console.log(JSON.stringify({ step, ...data }));
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' })).newPage();
  await page.goto(`${setupLink}&lang=en`);
  await page.getByLabel('Password').fill('console-pass-1');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'password is set' }).waitFor();
  // Sign in with the keyboard only: type, then Enter.
  await page.getByLabel('Password').fill('console-pass-1');
  await page.getByLabel('Password').press('Enter');
  await page.getByRole('heading', { name: 'Open API settings' }).waitFor();
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input:not([type=hidden])')]
    .filter((i) => !document.querySelector(`label[for="${i.id}"]`)).length);
  log('signed-in', { title: await page.title(), unlabelled });

  await page.getByRole('button', { name: 'Generate credential' }).click();
  const appkey = await page.locator('#new-appkey').textContent();
  const appsecret = await page.locator('#new-appsecret').textContent();
  log('credential', { appkey, appsecret });

  await page.getByLabel('Request URL').fill(receiver);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('main > p[role]').first().waitFor();
  const outcome = await page.locator('main > p[role]').first().textContent();
  if (!outcome.includes('Saved')) throw new Error(`saving the URL: ${outcome}`);
  log('event-url', { enabled: await page.locator('#enabled').textContent(), url: await page.getByLabel('Request URL').inputValue() });
  await page.screenshot({ path: `${shots}/console-open-api.png`, fullPage: true });

  await page.getByLabel('Request URL').fill('http://127.0.0.1:9/nothing');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('alert').waitFor();
  log('bad-url', { alert: await page.getByRole('alert').textContent() });
} finally {
  await browser.close();
}
