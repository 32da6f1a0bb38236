// The app's profile page in headless Chromium on a phone (390×844): a person signs in,
// opens their profile from the header, chooses English there, uploads a face photo that
// is too small (refused) then a good one, copies nothing but reads their feed address,
// and changes their password. Each page is checked with axe-core, at 320 px, for its
// weight and for requests outside roomd.
// node e2e/app_profile.mjs <base url> <company> <login> <password> <small photo> <photo> <screenshot dir>
import { launch, watch, signIn } from './checks.mjs';

const [base, company, login, password, smallPhoto, photo, shots] = process.argv.slice(2);
const browser = await launch();
const log = (step, data) => console.log(JSON.stringify({ step, ...data }));
const seen = watch(browser, base);
const { checks, outside, check } = seen;

const page = await seen.open({ width: 390, height: 844 }, 'zh-CN');
try {
  await signIn(page, base, company, login, password);
  await page.locator('header a.who').click();
  await page.getByRole('heading', { name: '我的设置' }).waitFor();
  log('profile-zh', { url: new URL(page.url()).pathname, feed: await page.getByLabel('订阅地址').inputValue(),
                      sections: await page.locator('main h2').allTextContents() });

  await page.getByLabel('选择照片').setInputFiles(smallPhoto);
  await page.getByRole('button', { name: '上传' }).click();
  const refused = await page.getByRole('alert').textContent();
  await page.getByLabel('选择照片').setInputFiles(photo);
  await page.getByRole('button', { name: '上传' }).click();
  const saved = await page.getByRole('status').textContent();
  const shown = await page.locator('img.app-face')
    .evaluate((img) => img.decode().then(() => img.naturalWidth > 0, () => false));
  log('face', { refused, saved, shown });
  await check(page, 'profile-zh');
  await page.screenshot({ path: `${shots}/app-profile-zh.png`, fullPage: true });

  await page.getByRole('radio', { name: 'English' }).check();
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByRole('heading', { name: 'Profile' }).waitFor();
  const langSaved = await page.getByRole('status').textContent();
  await page.goto(`${base}/app/`);
  const homeTitle = await page.locator('h1').textContent();
  log('language', { saved: langSaved, home: homeTitle, lang: await page.evaluate(() => document.documentElement.lang) });

  await page.goto(`${base}/app/profile`);
  await page.getByLabel('Current password').fill('not it at all');
  await page.getByLabel('New password', { exact: true }).fill('a-new-pass-2031');
  await page.getByLabel('New password again').fill('a-new-pass-2031');
  await page.getByRole('button', { name: 'Change password' }).click();
  const wrong = await page.getByRole('alert').textContent();
  await page.getByLabel('Current password').fill(password);
  await page.getByLabel('New password', { exact: true }).fill('a-new-pass-2031');
  await page.getByLabel('New password again').fill('a-new-pass-2031');
  await page.getByRole('button', { name: 'Change password' }).click();
  const changed = await page.getByRole('status').textContent();
  log('password', { wrong, changed, url: new URL(page.url()).pathname });
  await check(page, 'profile-en');
  await page.screenshot({ path: `${shots}/app-profile-en.png`, fullPage: true });
  // The same page on a desktop's width.
  await page.setViewportSize({ width: 1280, height: 900 });
  await check(page, 'profile-desktop');
  await page.screenshot({ path: `${shots}/app-profile-desktop.png`, fullPage: true });
  log('checks', { checks, outside });
} catch (e) {
  await page.screenshot({ path: `${shots}/app-profile-failure.png`, fullPage: true }).catch(() => {});
  console.error(e);
  process.exitCode = 1;
} finally {
  await browser.close();
}
