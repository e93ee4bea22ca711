// Takes the README's screenshots (docs/*.png) of the release build against a real Strapi:
//   node tests/e2e/screenshots.mjs        (after `trunk build --release`)
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { DEMO, LAZY_CHUNK, alertText, launchBrowser, logIn, serveApp, startStrapi } from './harness.mjs';

const DOCS = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'docs');
const APP_PORT = 3105;

// Session mode, so the dashboard shows where the demo user is signed in.
const strapi = await startStrapi({ port: 1404, mode: 'refresh', origins: [`http://127.0.0.1:${APP_PORT}`] });
// Another device, so the list has more than this browser.
await fetch(`${strapi.api}/auth/local`, {
  method: 'POST',
  headers: {
    'Content-Type': 'application/json',
    'User-Agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1',
  },
  body: JSON.stringify({ identifier: DEMO.email, password: DEMO.password }),
});
const app = await serveApp({ port: APP_PORT, strapiUrl: strapi.url });
const browser = await launchBrowser();
try {
  await mkdir(DOCS, { recursive: true });
  // The pre-rendered login page before the app has started (its wasm held back), with a login the
  // person asked for early waiting on the button.
  const early = await browser.newPage({ viewport: { width: 1024, height: 720 } });
  await early.route('**/*.wasm', () => {});
  await early.goto(`${app.origin}/auth/login`, { waitUntil: 'domcontentloaded' });
  await early.getByLabel('Email or username').fill(DEMO.email);
  await early.getByLabel('Password').fill(DEMO.password);
  await early.getByLabel('Password').press('Enter');
  await early.screenshot({ path: join(DOCS, 'login-prerendered-waiting.png') });
  await early.close();

  // A page whose chunk could not be fetched (src/lazy): offline between pages.
  const offline = await browser.newPage({ viewport: { width: 1024, height: 720 } });
  await offline.route(LAZY_CHUNK, (route) => route.abort('internetdisconnected'));
  await offline.goto(`${app.origin}/auth/forgot-password`);
  await offline.getByRole('button', { name: 'Try again' }).waitFor();
  await offline.screenshot({ path: join(DOCS, 'page-not-loaded.png') });
  await offline.close();

  for (const [name, viewport] of [['', { width: 1024, height: 720 }], ['-320px', { width: 320, height: 640 }]]) {
    const page = await browser.newPage({ viewport });
    await page.goto(`${app.origin}/auth/login`);
    await page.getByLabel('Password').waitFor();
    await page.screenshot({ path: join(DOCS, `login${name}.png`) });
    await logIn(page, DEMO.email, 'wrong');
    await alertText(page);
    await page.screenshot({ path: join(DOCS, `login-error${name}.png`) });
    await logIn(page, DEMO.email, DEMO.password);
    await page.getByText(DEMO.email).waitFor();
    await page.getByText('Safari on iOS').waitFor();
    await page.screenshot({ path: join(DOCS, `dashboard${name}.png`), fullPage: true });
    await page.getByRole('link', { name: 'Change password' }).click();
    await page.getByLabel('Current password').fill(DEMO.password);
    await page.getByLabel(/^New password/).fill(DEMO.password);
    await page.getByLabel(/confirm/i).fill(DEMO.password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.locator('[aria-invalid=true]').first().waitFor();
    await page.screenshot({ path: join(DOCS, `change-password${name}.png`), fullPage: true });
    await page.evaluate(() => localStorage.clear());

    // The account pages, each in the state a person most often sees it.
    await page.goto(`${app.origin}/auth/register`);
    await page.getByLabel('Username').fill('ab');
    await page.getByLabel('Email').fill('new@example');
    await page.getByLabel(/^Password/).fill('secret!');
    await page.getByRole('button', { name: /show password/i }).click();
    await page.getByRole('button', { name: /create account/i }).click();
    await page.locator('[aria-invalid=true]').first().waitFor();
    await page.screenshot({ path: join(DOCS, `register${name}.png`) });
    await page.goto(`${app.origin}/auth/forgot-password`);
    await page.getByLabel('Email').fill(DEMO.email);
    await page.getByRole('button', { name: /send reset link/i }).click();
    await page.getByRole('status').waitFor();
    await page.screenshot({ path: join(DOCS, `forgot-password${name}.png`) });
    await page.goto(`${app.origin}/auth/reset-password?code=made-up`);
    await page.getByLabel(/^new password/i).fill('N3w-Passw0rd!');
    await page.getByLabel(/confirm/i).fill('N3w-Passw0rd!');
    await page.getByRole('button', { name: /set new password/i }).click();
    await alertText(page);
    await page.screenshot({ path: join(DOCS, `reset-password-error${name}.png`) });
    await page.goto(`${app.origin}/auth/email-confirmed`);
    await page.getByLabel('Password').waitFor();
    await page.screenshot({ path: join(DOCS, `email-confirmed${name}.png`) });
    await page.close();
  }

  // In German, with Strapi's refusal translated; in Arabic (right to left) at 320 px.
  for (const [file, options] of [
    ['login-de.png', { locale: 'de-DE', viewport: { width: 1024, height: 720 } }],
    ['login-ar-320px.png', { locale: 'ar', viewport: { width: 320, height: 640 } }],
  ]) {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    await page.goto(`${app.origin}/auth/login`);
    await page.waitForFunction(() => performance.getEntriesByName('login-ready').length > 0);
    await page.locator('#identifier').fill(DEMO.email);
    await page.locator('#password').fill('wrong');
    await page.locator('button[type=submit]').click();
    await alertText(page);
    await page.screenshot({ path: join(DOCS, file) });
    await context.close();
  }

  // A password changed: the form is gone (what password managers take for a submitted form).
  // Last, as a change ends every other session of the demo user; then back to its password.
  {
    const page = await browser.newPage({ viewport: { width: 1024, height: 720 } });
    await page.goto(`${app.origin}/auth/login`);
    await logIn(page, DEMO.email, DEMO.password);
    await page.getByText(DEMO.email).waitFor();
    for (const [from, to] of [[DEMO.password, `${DEMO.password}-2`], [`${DEMO.password}-2`, DEMO.password]]) {
      await page.goto(`${app.origin}/account/password`);
      await page.getByLabel('Current password').fill(from);
      await page.getByLabel(/^New password/).fill(to);
      await page.getByLabel(/confirm/i).fill(to);
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByRole('status').filter({ hasText: /changed/i }).waitFor();
      if (to !== DEMO.password) await page.screenshot({ path: join(DOCS, 'change-password-done.png') });
    }
    await page.close();
  }

  // A branded deployment: deploy/configure.sh --name --logo --theme.
  const logo = `<svg xmlns="http://www.w3.org/2000/svg" width="168" height="40" viewBox="0 0 168 40"><rect width="40" height="40" rx="10" fill="#0b6b4f"/><path d="M12 28 20 10l8 18" stroke="#fff" stroke-width="4" fill="none"/><text x="50" y="28" font-family="sans-serif" font-size="22" font-weight="700" fill="#0b6b4f">Acme</text></svg>`;
  const theme = (await readFile(join(DOCS, '../style/theme.css'), 'utf8'))
    .replace('--primary: #3b3fd8;', '--primary: #0b6b4f;')
    .replace('--primary-hover: #2d30b3;', '--primary-hover: #08513c;')
    .replace('--bg-accent: #e8ebf3;', '--bg-accent: #dcefe7;')
    .replace('--radius: 12px;', '--radius: 4px;');
  const branded = await serveApp({
    port: APP_PORT + 1,
    strapiUrl: strapi.url,
    files: { 'acme.svg': logo, 'acme-theme.css': theme },
    configure: ['--name', 'Acme', '--logo', '/acme.svg', '--theme', '{dir}/acme-theme.css'],
  });
  const page = await browser.newPage({ viewport: { width: 1024, height: 720 } });
  await page.goto(`${branded.origin}/auth/login`);
  await page.waitForFunction(() => performance.getEntriesByName('login-ready').length > 0);
  await page.screenshot({ path: join(DOCS, 'login-branded.png') });
  await page.close();
  await branded.stop();
  console.log(`screenshots in ${DOCS}`);
} finally {
  await browser.close();
  await app.stop();
  await strapi.stop();
}
