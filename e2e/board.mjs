// The web board in headless Chromium, at a tablet's 1280×800: activation with a floor's
// deployment code, the room picker, book-now and end-early on one board; on a second
// board, a meeting in progress and its check-in QR code, scanned by a "phone" that signs
// in. node e2e/board.mjs <base url> <code> <free room> <busy room> <account> <password> <screenshot dir>
// Prints one JSON line per step.
import { chromium } from 'playwright-core';

const [base, code, freeRoom, busyRoom, account, password, shots] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
const log = (step, data) => console.log(JSON.stringify({ step, ...data }));

async function board(room, name) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${base}/board?lang=en`);
  await page.getByLabel('Deployment code').fill(code.toLowerCase());
  await page.getByLabel('Device name').fill(name);
  await page.getByRole('button', { name: 'Activate' }).click();
  await page.getByRole('button', { name: room }).click();
  await page.locator('#room-name').filter({ hasText: room }).waitFor();
  return page;
}

try {
  const first = await board(freeRoom, 'east door');
  await first.locator('#state').filter({ hasText: 'Free' }).waitFor();
  log('free', { state: await first.locator('#state').textContent() });
  await first.getByRole('button', { name: 'Book now' }).click();
  await first.getByLabel('Your account').fill(account);
  await first.getByRole('button', { name: '15', exact: true }).click();
  await first.locator('#state').filter({ hasText: 'In use' }).waitFor();
  log('booked', { state: await first.locator('#state').textContent(), current: await first.locator('#current').textContent() });
  await first.screenshot({ path: `${shots}/board-booked.png` });
  await first.getByRole('button', { name: 'End early' }).click();
  await first.locator('#state').filter({ hasText: 'Free' }).waitFor();
  log('ended', { state: await first.locator('#state').textContent() });

  const second = await board(busyRoom, 'west door');
  await second.locator('#state').filter({ hasText: 'In use' }).waitFor();
  await second.locator('#qr-img[src]').waitFor();
  await second.waitForFunction(() => document.getElementById('qr-img').complete);
  const qrUrl = await second.locator('#qr-img').getAttribute('data-url');
  const loaded = await second.locator('#qr-img').evaluate((img) => img.complete && img.naturalWidth > 0);
  log('busy', { current: await second.locator('#current').textContent(), qrUrl, qrLoaded: loaded });
  await second.screenshot({ path: `${shots}/board-busy.png` });

  const phoneContext = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
  const phone = await phoneContext.newPage();
  await phone.goto(qrUrl);
  await phone.getByLabel('Account').fill(account);
  await phone.getByLabel('Password').fill(password);
  await phone.getByRole('button', { name: 'Check in' }).click();
  await phone.locator('h1').filter({ hasText: 'checked in' }).waitFor();
  log('phone', { title: await phone.locator('h1').textContent() });
  await phone.screenshot({ path: `${shots}/phone-checkin.png`, fullPage: true });

  await second.reload();
  await second.locator('#current').filter({ hasText: '1/1' }).waitFor();
  log('signed', { current: await second.locator('#current').textContent() });
  await second.screenshot({ path: `${shots}/board-checked-in.png` });
} catch (e) {
  // What the boards showed when a step failed.
  for (const [i, ctx] of browser.contexts().entries()) {
    for (const p of ctx.pages()) {
      await p.screenshot({ path: `${shots}/board-failure-${i}.png` }).catch(() => {});
      log('failure', { url: p.url(), text: (await p.locator('body').innerText().catch(() => '')).slice(0, 400) });
    }
  }
  throw e;
} finally {
  await browser.close();
}
