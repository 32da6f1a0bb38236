// The employees' app in headless Chromium: on a phone (390×844) a person signs in (a
// wrong password first, then with the keyboard), sees today's meeting, checks in,
// switches language and signs out; then on a desktop. Every page is checked with
// axe-core, for overflow at 320 px, for its weight, and for requests outside roomd.
// node e2e/app.mjs <base url> <company> <login> <password> <screenshot dir>
import { launch, watch } from './checks.mjs';

const [base, company, login, password, shots] = process.argv.slice(2);
const browser = await launch();
const log = (step, data) => console.log(JSON.stringify({ step, ...data }));
const seen = watch(browser, base);
const { checks, outside, check } = seen;
// At the hall's door: check-in by location asks for the position.
const context = (viewport, locale) => seen.open(viewport, locale, {
  geolocation: { latitude: 31.2305, longitude: 121.4738 }, permissions: ['geolocation'],
});

const page = await context({ width: 390, height: 844 }, 'zh-CN');
try {
  await page.goto(`${base}/app/`);
  await page.waitForURL('**/app/login');
  await page.goto(`${base}/app/login?company=${company}`);
  await page.getByRole('heading', { name: '登录' }).waitFor();
  log('login-zh', { company: await page.getByLabel('企业 ID').inputValue(), title: await page.title() });
  await check(page, 'login-zh');
  await page.screenshot({ path: `${shots}/app-login-zh.png`, fullPage: true });

  await page.getByRole('link', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await check(page, 'login-en');
  await page.getByLabel('Account, phone or email').fill(login);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const refused = await page.getByRole('alert').textContent();
  log('refused', { alert: refused, kept: await page.getByLabel('Account, phone or email').inputValue() });
  await check(page, 'login-refused');
  await page.screenshot({ path: `${shots}/app-login-en.png`, fullPage: true });

  // With the keyboard only: the login is kept, Tab to the password, type, Enter.
  await page.getByLabel('Account, phone or email').focus();
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'My meetings' }).waitFor();
  const meetings = await page.locator('.app-meeting h3').allTextContents();
  const today = await page.locator('.app-day h2').first().textContent();
  await check(page, 'home-en');
  await page.screenshot({ path: `${shots}/app-home-en-before.png`, fullPage: true });
  const button = page.getByRole('button', { name: /^Check in/ });
  const buttons = await button.count();
  await button.first().focus();
  await page.keyboard.press('Enter');
  await page.getByRole('status').waitFor();
  const checkedIn = await page.getByRole('status').textContent();
  log('home', { meetings, today, buttons, checkedIn, tags: await page.locator('.app-meeting .tags').allTextContents() });
  await check(page, 'home-checked-in');
  await page.screenshot({ path: `${shots}/app-home-en.png`, fullPage: true });

  await page.getByRole('link', { name: '中文' }).click();
  await page.getByRole('heading', { name: '我的会议' }).waitFor();
  await check(page, 'home-zh');
  await page.screenshot({ path: `${shots}/app-home-zh.png`, fullPage: true });
  const lang = await page.evaluate(() => document.documentElement.lang);
  await page.getByRole('button', { name: '退出' }).click();
  await page.getByRole('heading', { name: '登录' }).waitFor();
  log('signed-out', { notice: await page.getByRole('status').textContent(), lang,
                      company: await page.getByLabel('企业 ID').inputValue() });
  await page.goto(`${base}/app/`);
  log('after', { url: new URL(page.url()).pathname });

  const desk = await context({ width: 1280, height: 900 }, 'en-US');
  await desk.goto(`${base}/app/login?company=${company}`);
  await desk.getByLabel('Account, phone or email').fill(login);
  await desk.getByLabel('Password').fill(password);
  await desk.getByRole('button', { name: 'Sign in' }).click();
  await desk.getByRole('heading', { name: 'My meetings' }).waitFor();
  await check(desk, 'home-desktop');
  await desk.screenshot({ path: `${shots}/app-home-desktop.png`, fullPage: true });
  log('checks', { checks, outside });
} catch (e) {
  await page.screenshot({ path: `${shots}/app-failure.png`, fullPage: true }).catch(() => {});
  console.error(e);
  process.exitCode = 1;
} finally {
  await browser.close();
}
