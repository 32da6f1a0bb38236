// Finding and booking in the app, in headless Chromium on a phone (390×844): "now, 30
// minutes" finds the free rooms; a room's day offers its free stretch; the booking form
// finds a colleague, adds a guest and repeats weekly; the preview shows the conflict and
// the rest is booked without it. Then the same pages in English, and on a desktop.
// Every page is checked.
// node e2e/app_book.mjs <base url> <company> <login> <password> <screenshot dir>
import { launch, watch, signIn } from './checks.mjs';

const [base, company, login, password, shots] = process.argv.slice(2);
const browser = await launch();
const log = (step, data) => console.log(JSON.stringify({ step, ...data }));
const c = watch(browser, base);
const page = await c.open({ width: 390, height: 844 }, 'zh-CN');
try {
  await signIn(page, base, company, login, password);

  await page.getByRole('navigation', { name: '应用导航' }).getByRole('link', { name: '找会议室' }).click();
  await page.getByRole('heading', { name: '找会议室', level: 1 }).waitFor();
  await c.check(page, 'find-zh');
  await page.screenshot({ path: `${shots}/app-find-zh.png`, fullPage: true });
  await page.getByRole('link', { name: '从现在起 30 分钟' }).click();
  await page.locator('.app-results').waitFor();
  const now = await page.locator('.app-room .app-room-name').allTextContents();
  log('now', { rooms: now, heading: await page.locator('.app-results h2').textContent() });
  await c.check(page, 'find-now-zh');
  await page.screenshot({ path: `${shots}/app-find-now-zh.png`, fullPage: true });

  // Tomorrow 10:00–11:00 for 6 people, then the hall's day.
  await page.getByText('指定时间').click();
  await page.getByLabel('日期').fill(process.env.TOMORROW);
  await page.getByLabel('开始').fill('10:00');
  await page.getByLabel('结束').fill('11:00');
  await page.getByLabel('人数').fill('6');
  await page.getByRole('button', { name: '查找空闲会议室' }).click();
  await page.locator('.app-results').waitFor();
  const later = await page.locator('.app-room .app-room-name').allTextContents();
  log('later', { rooms: later });
  await c.check(page, 'find-later-zh');
  await page.getByRole('link', { name: '当天安排 · 九楼大会议室' }).click();
  await page.locator('ol.app-timeline').waitFor();
  log('day', { blocks: await page.locator('ol.app-timeline li').allTextContents() });
  await c.check(page, 'room-day-zh');
  await page.screenshot({ path: `${shots}/app-room-day-zh.png`, fullPage: true });
  await page.locator('ol.app-timeline li.free a').first().click();

  await page.getByRole('heading', { name: '预约会议室' }).waitFor();
  await page.getByLabel('会议主题').fill('设计评审');
  await page.getByLabel('开始时间').fill('10:00');
  await page.getByLabel('结束时间').fill('11:00');
  // As one types, the matches appear without the Find button.
  await page.getByLabel('按姓名、账号、手机号或邮箱查找').fill('周');
  await page.locator('#who-results').getByLabel(/周明/).check();
  await page.getByLabel('访客姓名').first().fill('陈晨（外部顾问）');
  await page.getByLabel('邮箱（可不填，用于发送邀请）').first().fill('chen@example.com');
  await page.getByLabel('重复', { exact: true }).selectOption('weekly');
  await page.getByLabel('重复次数', { exact: true }).first().check();
  await page.locator('input[name=count]').fill('4');
  await c.check(page, 'book-zh');
  await page.screenshot({ path: `${shots}/app-book-zh.png`, fullPage: true });
  await page.getByRole('button', { name: '预约', exact: true }).click();
  await page.getByRole('heading', { name: '重复会议的安排' }).waitFor();
  log('preview', { lines: await page.locator('ol.app-occurrences li').allTextContents(),
                   said: await page.locator('.app-preview [role=status]').textContent() });
  await c.check(page, 'preview-zh');
  await page.screenshot({ path: `${shots}/app-book-preview-zh.png`, fullPage: true });
  await page.getByRole('button', { name: /跳过冲突/ }).click();
  await page.getByRole('heading', { name: '设计评审' }).waitFor();
  const notice = await page.getByRole('status').first().textContent();
  await c.check(page, 'booked-zh');
  await page.screenshot({ path: `${shots}/app-booked-zh.png`, fullPage: true });
  await page.getByRole('navigation', { name: '应用导航' }).getByRole('link', { name: '我的会议' }).click();
  await page.getByRole('heading', { name: '我的会议' }).waitFor();
  log('booked', { notice, meetings: await page.locator('.app-meeting h3').allTextContents() });

  // The same pages in English.
  await page.goto(`${base}/app/find?lang=en&date=${process.env.TOMORROW}&from=14:00&to=15:00`);
  await page.locator('.app-results').waitFor();
  await c.check(page, 'find-en');
  await page.screenshot({ path: `${shots}/app-find-en.png`, fullPage: true });
  await page.getByRole('link', { name: 'Book · 九楼大会议室' }).click();
  await page.getByRole('heading', { name: 'Book a room' }).waitFor();
  await c.check(page, 'book-en');
  await page.screenshot({ path: `${shots}/app-book-en.png`, fullPage: true });

  // On a desktop: the same search and form, in one column at the middle of the screen.
  const desk = await c.open({ width: 1280, height: 900 }, 'en-US');
  await desk.goto(`${base}/app/login?company=${company}&lang=en`);
  await desk.getByLabel('Account, phone or email').fill(login);
  await desk.getByLabel('Password').fill(password);
  await desk.getByRole('button', { name: 'Sign in' }).click();
  await desk.getByRole('heading', { name: 'My meetings' }).waitFor();
  await desk.getByRole('link', { name: 'Find a room' }).click();
  await desk.getByRole('link', { name: 'From now, for 1 hour' }).click();
  await desk.locator('.app-results').waitFor();
  await c.check(desk, 'find-desktop');
  await desk.screenshot({ path: `${shots}/app-find-desktop.png`, fullPage: true });
  await desk.getByRole('link', { name: 'Book · 九楼大会议室' }).click();
  await desk.getByRole('heading', { name: 'Book a room' }).waitFor();
  await c.check(desk, 'book-desktop');
  await desk.screenshot({ path: `${shots}/app-book-desktop.png`, fullPage: true });
  log('checks', { checks: c.checks, outside: c.outside });
} catch (e) {
  await page.screenshot({ path: `${shots}/app-book-failure.png`, fullPage: true }).catch(() => {});
  console.error(e);
  process.exitCode = 1;
} finally {
  await browser.close();
}
