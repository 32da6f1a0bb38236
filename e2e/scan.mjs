// Fills and submits an onboarding scan page in headless Chromium, the way a new employee
// would on a phone: node e2e/scan.mjs <page url> <face photo> <screenshot dir> <account>
// Prints the page's heading and status text after each submit, one JSON line each.
import { chromium } from 'playwright-core';

const [url, photo, shots, account] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
  await page.goto(url);
  await page.screenshot({ path: `${shots}/scan-empty.png`, fullPage: true });
  // Labels lead to their inputs (accessibility) and the keyboard reaches the form.
  await page.getByLabel('Name').fill('E2E 新同事');
  await page.getByLabel('Account').fill(account);
  await page.getByLabel('Phone').fill('13912345678');
  await page.getByLabel('Email').fill(`${account}@example.com`);
  await page.getByLabel('Password').fill('short');
  await page.getByLabel('Face photo').setInputFiles(photo);
  await page.getByRole('button', { name: 'Register' }).click();
  await page.waitForLoadState('load');
  const kept = await page.getByLabel('Account').inputValue();
  const error = await page.locator('#password-error').textContent();
  console.log(JSON.stringify({ step: 'error', kept, error, alert: await page.getByRole('alert').textContent() }));
  await page.screenshot({ path: `${shots}/scan-error.png`, fullPage: true });
  // Fix the password; the photo stays kept on the server.
  await page.getByLabel('Password').fill('s3cret-pass');
  await page.getByLabel('Password').press('Enter');
  await page.waitForLoadState('load');
  const title = await page.locator('h1').textContent();
  const status = await page.getByRole('status').textContent();
  console.log(JSON.stringify({ step: 'done', title, status }));
  await page.screenshot({ path: `${shots}/scan-done.png`, fullPage: true });
} finally {
  await browser.close();
}
