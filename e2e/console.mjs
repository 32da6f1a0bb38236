// The console in headless Chromium: the first start's one-time link sets the admin's
// password, the admin signs in, generates a credential, and configures the event URL
// (the check_url handshake against a live receiver).
// Then the other panels: directory (a user added, found, a face photo refused and then
// taken), boards, onboarding, rooms and calendar, approval, reports with CSV.
// node e2e/console.mjs <setup link> <receiver url> <screenshot dir> <face photo>
import { chromium } from 'playwright-core';

const [setupLink, receiver, shots, photo] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
const log = (step, data) => console.log(JSON.stringify({ step, ...data }));
// Accessibility basics on every page visited: each control has a label (a <label for>,
// a wrapping <label>, or aria-label).
const unlabelledByPage = {};
async function checkLabels(page) {
  const missing = await page.evaluate(() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
    .filter((c) => !(c.id && document.querySelector(`label[for="${c.id}"]`)) && !c.closest('label') && !c.getAttribute('aria-label'))
    .map((c) => c.name || c.outerHTML.slice(0, 60)));
  unlabelledByPage[new URL(page.url()).pathname] = missing;
}
const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' })).newPage();
try {
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
  await checkLabels(page);
  await page.screenshot({ path: `${shots}/console-open-api.png`, fullPage: true });

  await page.getByLabel('Request URL').fill('http://127.0.0.1:9/nothing');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('alert').waitFor();
  log('bad-url', { alert: await page.getByRole('alert').textContent() });

  // Boards: a deployment code for a floor, valid 7 days.
  await page.getByRole('link', { name: 'Check-in boards' }).click();
  await page.getByLabel('Scope').selectOption({ label: '🏢 A · F1' });
  await page.getByLabel('Valid for (days)').selectOption('7');
  await page.getByRole('button', { name: 'Create a deployment code' }).click();
  log('board-code', { code: await page.locator('#access-code').textContent() });
  await checkLabels(page);
  await page.screenshot({ path: `${shots}/console-boards.png`, fullPage: true });

  // Onboarding: the code made through the API shows, the pending registration is
  // approved, and a second code is made from the form.
  await page.getByRole('link', { name: 'Onboarding' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('img[alt^="QR"]')].every((i) => i.complete));
  // A yes/no dimension defined in the console.
  await page.getByLabel('api_name').fill('remote');
  await page.getByLabel('Name (English)').fill('Remote');
  await page.getByLabel('Type').selectOption('3');
  await page.getByRole('button', { name: 'Save the dimension' }).click();
  const dimensions = await page.locator('#dims ~ .table code').allTextContents();
  log('dimensions', { dimensions });
  await page.waitForFunction(() => [...document.querySelectorAll('img[alt^="QR"]')].every((i) => i.complete));
  const previews = await page.locator('img[alt^="QR"]').evaluateAll((imgs) => imgs.map((i) => i.complete && i.naturalWidth > 0));
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.getByRole('heading', { name: 'Onboarding', exact: true }).waitFor();
  const stillPending = await page.getByRole('button', { name: 'Approve' }).count();
  await page.getByLabel('Department', { exact: true }).selectOption({ index: 0 });
  await page.getByRole('button', { name: 'Create an onboarding QR code' }).click();
  await page.getByRole('heading', { name: 'Onboarding', exact: true }).waitFor();
  const codes = await page.locator('img[alt^="QR"]').count();
  log('onboarding', { previews, stillPending, codes });
  await checkLabels(page);
  await page.screenshot({ path: `${shots}/console-onboarding.png`, fullPage: true });

  // A room that needs approval, booked from tomorrow's calendar, then approved.
  await page.getByRole('link', { name: 'Rooms', exact: true }).click();
  await page.locator('#room-name').fill('Console Room');
  await page.locator('#room-begin').fill('00:00');
  await page.locator('#room-end').fill('23:59');
  await page.locator('#room-need_audit').check();
  // Placed on the map (no tiles offline: the click still sets the position).
  await page.locator('#map').click({ position: { x: 120, y: 80 } });
  await page.locator('#room-radius').fill('50');
  const placed = { lat: await page.locator('#room-latitude').inputValue(), lon: await page.locator('#room-longitude').inputValue() };
  await page.getByRole('button', { name: 'Add a room' }).click();
  // Edited in place: into building A, capacity 12.
  await page.getByRole('row', { name: /Console Room/ }).getByRole('link', { name: 'edit' }).click();
  await page.locator('#room-capacity').fill('12');
  await page.locator('#room-building').selectOption({ label: 'A' });
  await page.getByRole('button', { name: 'Edit the room' }).click();
  const edited = await page.getByRole('row', { name: /Console Room/ }).textContent();
  log('room', { placed, edited });
  await page.getByRole('row', { name: /Console Room/ }).getByRole('link', { name: 'Calendar', exact: true }).click();
  const today = await page.locator('#date').inputValue();
  const next = new Date(`${today}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  await page.locator('#date').fill(next.toISOString().slice(0, 10));
  await page.getByRole('button', { name: 'Show' }).click();
  await page.locator('li.free a').first().click();
  await page.locator('#subject').fill('Console booking');
  // For a staff member (an admin's own bookings need no approval).
  await page.locator('#booker').fill('newbie');
  await page.getByRole('button', { name: 'Book', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Booked' }).waitFor();
  const booked = await page.locator('.meeting').first().textContent();
  await checkLabels(page);
  await page.screenshot({ path: `${shots}/console-calendar.png`, fullPage: true });
  await page.getByRole('link', { name: "A building's day" }).click();
  await page.locator('#date').fill(next.toISOString().slice(0, 10));
  await page.getByRole('button', { name: 'Show' }).click();
  const columns = await page.locator('.column h3').allTextContents();
  log('building-day', { columns, booking: await page.locator('.column .meeting').first().textContent() });
  await page.getByRole('link', { name: 'Approval queue' }).click();
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.getByRole('heading', { name: 'Approval queue' }).waitFor();
  log('calendar', { booked, pendingAfter: await page.getByRole('button', { name: 'Approve' }).count() });

  // A weekly series for the staff member, from the calendar: four occurrences waiting,
  // shown in the queue as one series, approved as a whole.
  await page.getByRole('link', { name: 'Meetings', exact: true }).click();
  await page.locator('#date').fill(next.toISOString().slice(0, 10));
  await page.getByRole('button', { name: 'Show' }).click();
  await page.locator('li.free a').nth(3).click();
  await page.locator('#subject').fill('Weekly sync');
  await page.locator('#booker').fill('newbie');
  await page.getByLabel('Repeat').selectOption({ label: 'Every week' });
  await page.getByLabel('Occurrences (the first included)').fill('4');
  await page.getByRole('button', { name: 'Book', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'series is booked' }).waitFor();
  const seriesTag = await page.locator('.meeting', { hasText: 'Weekly sync' }).first().textContent();
  await page.getByRole('link', { name: 'Approval queue' }).click();
  const waiting = await page.locator('summary').first().textContent();
  await checkLabels(page);
  await page.screenshot({ path: `${shots}/console-approvals-series.png`, fullPage: true });
  await page.getByRole('button', { name: 'Approve the series' }).click();
  await page.getByRole('status').filter({ hasText: 'Approved' }).waitFor();
  log('series', { seriesTag, waiting, pendingAfter: await page.getByRole('button', { name: 'Approve', exact: true }).count() });

  // Finding a room: tomorrow evening, every room listed with whether it is free.
  await page.getByRole('link', { name: 'Meetings', exact: true }).click();
  await page.getByRole('link', { name: 'Find a room' }).click();
  await page.locator('#date').fill(next.toISOString().slice(0, 10));
  await page.locator('#from').fill('20:00');
  await page.locator('#to').fill('21:00');
  await page.getByLabel('Show rooms that are not free too').check();
  await page.getByRole('button', { name: 'Find' }).click();
  const foundRow = await page.getByRole('row', { name: /Console Room/ }).textContent();
  await checkLabels(page);
  await page.screenshot({ path: `${shots}/console-find-room.png`, fullPage: true });
  log('find-room', { foundRow });

  // The company's zone and language.
  await page.getByRole('link', { name: 'Company', exact: true }).click();
  const zone = await page.getByLabel('Time zone').inputValue();
  await page.getByLabel('Time zone').fill('Asia/Singapore');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
  log('company', { zone, saved: await page.getByLabel('Time zone').inputValue() });
  await checkLabels(page);
  await page.screenshot({ path: `${shots}/console-company.png`, fullPage: true });

  // Directory: add a user, find them, give them a face photo.
  await page.getByRole('link', { name: 'Directory' }).click();
  await page.locator('#user-name').fill('Zhang San');
  await page.locator('#user-account').fill('zhangsan');
  await page.getByRole('button', { name: 'Add a user' }).click();
  await page.getByLabel('Search').fill('zhang');
  await page.getByRole('button', { name: 'Search' }).click();
  const row = page.getByRole('row', { name: /zhangsan/ });
  await row.getByLabel('Face photo').setInputFiles(photo);
  const previewShown = await row.locator('img.preview').waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false);
  await row.getByRole('button', { name: 'Upload' }).click();
  await page.getByRole('status').filter({ hasText: 'Face photo updated' }).waitFor();
  log('directory', { previewShown, rows: await page.getByRole('row').count() });
  await checkLabels(page);
  await page.screenshot({ path: `${shots}/console-directory.png`, fullPage: true });

  // Reports: the rooms' utilisation, and the same as CSV.
  await page.getByRole('link', { name: 'Reports' }).click();
  await page.getByRole('heading', { name: 'Room utilisation' }).waitFor();
  const csvUrl = await page.getByRole('link', { name: 'CSV' }).getAttribute('href');
  const csv = await page.evaluate(async (url) => (await fetch(url)).text(), csvUrl);
  log('reports', { rooms: await page.locator('table').first().locator('tbody tr').count(), csvHead: csv.split('\n')[0], csvRows: csv.trim().split('\n').length - 1 });
  await checkLabels(page);
  await page.screenshot({ path: `${shots}/console-reports.png`, fullPage: true });
  await page.getByRole('link', { name: 'Rooms', exact: true }).click();
  await checkLabels(page);
  await page.screenshot({ path: `${shots}/console-rooms.png`, fullPage: true });

  // A room's calendar feed: its address reads as a calendar; a new address replaces it
  // and the old one is gone at once.
  await page.getByRole('row', { name: /Console Room/ }).getByRole('link', { name: 'Calendar feed' }).click();
  const feedUrl = await page.getByLabel('Address').inputValue();
  const fetched = await page.evaluate(async (url) => {
    const r = await fetch(url);
    return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
  }, feedUrl);
  await checkLabels(page);
  await page.screenshot({ path: `${shots}/console-feed.png`, fullPage: true });
  await page.getByRole('button', { name: 'Make a new address' }).click();
  await page.getByRole('status').filter({ hasText: 'new address' }).waitFor();
  const newUrl = await page.getByLabel('Address').inputValue();
  const feedPage = new URL(page.url());
  feedPage.searchParams.delete('done');
  const oldStatus = await page.evaluate(async (url) => (await fetch(url)).status, feedUrl);
  await page.goto(`${page.url()}&lang=zh`);
  await page.screenshot({ path: `${shots}/console-feed-zh.png`, fullPage: true });
  await page.goto(`${page.url().replace('lang=zh', 'lang=en')}`);
  log('feed', {
    status: fetched.status, type: fetched.type, calendar: fetched.text.startsWith('BEGIN:VCALENDAR\r\n'),
    events: fetched.text.split('BEGIN:VEVENT').length - 1, changed: newUrl !== feedUrl, oldStatus,
  });
  log('labels', { unlabelledByPage });

  // On a phone, in both languages: no page is wider than the screen, and the language
  // link switches (and is remembered for the next page).
  await page.setViewportSize({ width: 390, height: 844 });
  const wider = {};
  for (const lang of ['zh', 'en']) {
    feedPage.searchParams.set('lang', lang);
    await page.goto(feedPage.toString());
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) wider[`${lang} rooms/feed`] = overflow;
    await page.screenshot({ path: `${shots}/phone-console-feed-${lang}.png`, fullPage: true });
  }
  for (const [lang, path] of [['zh', 'directory'], ['zh', 'settings/company'], ['zh', 'rooms'], ['en', 'meetings'], ['en', 'settings/openApi'], ['zh', 'onboarding'], ['en', 'reports']]) {
    await page.goto(`${new URL(page.url()).origin}/meeting/manage/${path}?lang=${lang}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) wider[`${lang} ${path}`] = overflow;
    await page.screenshot({ path: `${shots}/phone-console-${path.replace('/', '-')}-${lang}.png`, fullPage: true });
  }
  await page.getByRole('link', { name: '中文' }).click();
  const switched = await page.locator('h1').textContent();
  await page.getByRole('link', { name: '会议', exact: true }).click();
  const remembered = await page.locator('html').getAttribute('lang');
  await page.getByRole('button', { name: '退出' }).click();
  await page.getByRole('heading', { name: '登录' }).waitFor();
  const loginOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (loginOverflow > 0) wider['zh login'] = loginOverflow;
  await page.screenshot({ path: `${shots}/phone-console-login-zh.png`, fullPage: true });
  log('phone', { wider, switched, remembered });
} catch (e) {
  // What the page showed when a step failed, for the CI artifacts.
  await page.screenshot({ path: `${shots}/console-failure.png`, fullPage: true }).catch(() => {});
  console.log(JSON.stringify({ step: 'failure', url: page.url(), text: (await page.locator('main').textContent().catch(() => '')).slice(0, 500) }));
  throw e;
} finally {
  await browser.close();
}
