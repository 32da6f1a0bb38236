// The app's "My meeting" page in headless Chromium on a phone (390×844): a person opens
// a meeting from home, extends it by 15 minutes, is told why 30 more cannot be had,
// cancels one occurrence of a series ("this only"), and edits a meeting in English.
// Every page is checked with axe-core, for overflow at 320 px, for its weight, and for
// requests outside roomd.
// node e2e/app_meeting.mjs <base url> <company> <login> <password> <screenshot dir>
import { launch, watch, signIn } from './checks.mjs';

const [base, company, login, password, shots] = process.argv.slice(2);
const browser = await launch();
const log = (step, data) => console.log(JSON.stringify({ step, ...data }));
const seen = watch(browser, base);
const { checks, outside, check } = seen;
const text = async (locator) => (await locator.textContent()).trim();

const page = await seen.open({ width: 390, height: 844 }, 'zh-CN');
try {
  await signIn(page, base, company, login, password);

  // From home to the meeting: its subject is the link.
  await page.getByRole('link', { name: '产品评审' }).click();
  await page.getByRole('heading', { name: '产品评审', level: 1 }).waitFor();
  await check(page, 'meeting-zh');
  await page.getByRole('button', { name: '延长 15 分钟' }).click();
  const extended = await text(page.getByRole('status'));
  const when = await text(page.locator('.app-facts .when'));
  await page.getByRole('button', { name: '延长 30 分钟' }).click();
  const refused = await text(page.getByRole('alert'));
  await check(page, 'meeting-refused');
  log('extended', { extended, when, refused, url: new URL(page.url()).pathname });
  await page.screenshot({ path: `${shots}/app-meeting-zh.png`, fullPage: true });

  // One occurrence of the series, cancelled alone.
  await page.getByRole('link', { name: 'roomd 会议' }).click();
  await page.getByRole('link', { name: '设计周会' }).first().click();
  await page.getByRole('heading', { name: '设计周会', level: 1 }).waitFor();
  const repeats = await text(page.locator('.app-facts dd').nth(3));
  await page.getByText('取消会议…').click();
  await page.getByLabel('仅此次').check();
  await page.getByLabel('取消原因（选填，会告知参会人）').fill('与客户会议冲突');
  await check(page, 'series-cancel-form');
  await page.screenshot({ path: `${shots}/app-meeting-cancel-zh.png`, fullPage: true });
  await page.getByRole('button', { name: '确认取消' }).click();
  const cancelled = await text(page.getByRole('status'));
  log('cancelled', { repeats, cancelled, tags: await text(page.locator('.app-tags')),
                     actions: await page.locator('#change').count() });
  await check(page, 'series-cancelled');

  // In English: the meeting again, then its edit page.
  await page.getByRole('link', { name: 'roomd 会议' }).click();
  await page.getByRole('link', { name: '产品评审' }).click();
  await page.getByRole('link', { name: 'English' }).click();
  await page.getByRole('heading', { name: '产品评审', level: 1 }).waitFor();
  await check(page, 'meeting-en');
  await page.screenshot({ path: `${shots}/app-meeting-en.png`, fullPage: true });
  await page.getByRole('link', { name: 'Edit subject, time or notes' }).click();
  await page.getByRole('heading', { name: 'Edit the meeting' }).waitFor();
  await check(page, 'edit-en');
  await page.screenshot({ path: `${shots}/app-meeting-edit-en.png`, fullPage: true });
  await page.getByLabel('Subject').fill('产品评审（第二轮）');
  await page.getByLabel('Notes').fill('带上新的原型');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const saved = await text(page.getByRole('status'));
  log('edited', { saved, title: await text(page.getByRole('heading', { level: 1 })) });
  // The same page on a desktop's width.
  await page.setViewportSize({ width: 1280, height: 900 });
  await check(page, 'meeting-desktop');
  await page.screenshot({ path: `${shots}/app-meeting-desktop.png`, fullPage: true });
  log('checks', { checks, outside });
} catch (e) {
  await page.screenshot({ path: `${shots}/app-meeting-failure.png`, fullPage: true }).catch(() => {});
  console.error(e);
  process.exitCode = 1;
} finally {
  await browser.close();
}
