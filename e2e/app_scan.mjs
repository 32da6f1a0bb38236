// Check-in by scanning a board's code, in headless Chromium on a phone (390×844): a
// person signed in to the app opens the code's address and checks in with one tap; a
// phone without the app gets the public page that asks for account and password.
// node e2e/app_scan.mjs <base url> <company> <login> <password> <code's url> <screenshot dir>
// Prints one JSON line per step.
import { launch, pageChecks, signIn } from './checks.mjs';

const [base, company, login, password, codeUrl, shots] = process.argv.slice(2);
const browser = await launch();
const log = (step, data) => console.log(JSON.stringify({ step, ...data }));
const phone = async (locale) => (await browser.newContext({
  viewport: { width: 390, height: 844 }, locale, isMobile: true, hasTouch: true,
})).newPage();

const page = await phone('zh-CN');
try {
  // Signed in to the app on this phone once, earlier.
  await signIn(page, base, company, login, password);

  // The camera opens the code's address.
  await page.goto(codeUrl);
  await page.getByRole('heading', { name: '会议签到' }).waitFor();
  log('scan-zh', { path: new URL(page.url()).pathname, card: await page.locator('.app-scan').innerText(),
                   passwords: await page.locator('input[type=password]').count(), checks: await pageChecks(page) });
  await page.screenshot({ path: `${shots}/app-scan-zh.png`, fullPage: true });
  await page.getByRole('link', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Meeting check-in' }).waitFor();
  log('scan-en', { checks: await pageChecks(page) });
  await page.screenshot({ path: `${shots}/app-scan-en.png`, fullPage: true });
  await page.getByRole('button', { name: 'Check in' }).click();
  await page.getByRole('heading', { name: 'My meetings' }).waitFor();
  log('checked-in', { status: await page.getByRole('status').textContent(),
                      tags: await page.locator('.app-meeting .tags').allTextContents() });
  await page.screenshot({ path: `${shots}/app-scan-done.png`, fullPage: true });

  const stranger = await phone('en-US');
  await stranger.goto(codeUrl);
  await stranger.getByLabel('Password').waitFor();
  log('without-app', { path: new URL(stranger.url()).pathname });
} catch (e) {
  await page.screenshot({ path: `${shots}/app-scan-failure.png`, fullPage: true }).catch(() => {});
  console.error(e);
  process.exitCode = 1;
} finally {
  await browser.close();
}
