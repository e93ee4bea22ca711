// The release build in headless Chromium against real Strapi 5.54.0 servers: logging in, in both
// JWT modes, and every way it can fail, with localStorage inspected after each step.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { DEMO, LAZY_CHUNK, alertText, inPage, inProfile, launchBrowser, logIn, serveApp, startStrapi, storedKeys, atPath, tcpProxy } from './harness.mjs';

// One app server per Strapi it points at; ports chosen away from the development ones (3000, 1337).
const APPS = { legacy: 3101, refresh: 3102, other: 3103, down: 3104, counted: 3105 };
const ORIGINS = Object.values(APPS).map((port) => `http://127.0.0.1:${port}`);
const DOWN_PORT = 1409; // nothing listens here
const COUNTED_PORT = 1408; // the legacy Strapi behind a proxy that counts the connections made to it

let browser;
let strapi; // { legacy, refresh, other }
let app; // { legacy, refresh, other, down, counted }: origins
let counter; // the counting proxy

before(async () => {
  const [legacy, refresh, other] = await Promise.all([
    startStrapi({ port: 1401, mode: 'legacy', origins: ORIGINS }),
    startStrapi({ port: 1402, mode: 'refresh', origins: ORIGINS }),
    // Another port and API prefix, with Strapi's rate limit on.
    startStrapi({ port: 1403, mode: 'legacy', prefix: '/v2', rateLimit: true, origins: ORIGINS }),
  ]);
  strapi = { legacy, refresh, other };
  counter = await tcpProxy({ port: COUNTED_PORT, to: 1401 });
  const servers = await Promise.all([
    serveApp({ port: APPS.legacy, strapiUrl: legacy.url }),
    serveApp({ port: APPS.refresh, strapiUrl: refresh.url }),
    serveApp({ port: APPS.other, strapiUrl: other.url, apiPrefix: '/v2' }),
    serveApp({ port: APPS.down, strapiUrl: `http://127.0.0.1:${DOWN_PORT}` }),
    serveApp({ port: APPS.counted, strapiUrl: `http://127.0.0.1:${COUNTED_PORT}` }),
  ]);
  app = Object.fromEntries(Object.keys(APPS).map((k, i) => [k, servers[i]]));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  counter?.close();
  await Promise.all(Object.values(app ?? {}).map((s) => s.stop()));
  await Promise.all(Object.values(strapi ?? {}).map((s) => s.stop()));
});

async function me(api, token) {
  const response = await fetch(`${api}/users/me`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.json() };
}

/** After a failure: still on the login page, nothing stored, the identifier kept, form usable. */
async function assertFailedCleanly(page, identifier) {
  assert.equal(new URL(page.url()).pathname, '/auth/login');
  assert.deepEqual(await storedKeys(page), {});
  assert.equal(await page.getByLabel('Email or username').inputValue(), identifier);
  assert.equal(await page.getByRole('button', { name: 'Log in' }).isEnabled(), true);
}

describe('login', () => {
  test('a deep link to /auth/login loads the form, with nothing in the console and each file once', () =>
    inPage(browser, 'deep link', async (page) => {
      const consoleLines = [];
      page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
      const requested = [];
      page.on('request', (r) => requested.push(new URL(r.url()).pathname));
      const response = await page.goto(`${app.legacy.origin}/auth/login`);
      assert.equal(response.status(), 200);
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      assert.equal(await page.getByLabel('Email or username').getAttribute('autocomplete'), 'username');
      assert.equal(await page.getByLabel('Password').getAttribute('autocomplete'), 'current-password');
      // The chunks come once the browser is idle (at most a second after the form is live).
      await page.waitForFunction(
        (chunk) => performance.getEntriesByType('resource').filter((r) => new RegExp(chunk).test(r.name) && r.responseEnd > 0).length === 3,
        LAZY_CHUNK.source,
        { timeout: 10_000 },
      );
      await page.waitForLoadState('networkidle');
      assert.deepEqual(consoleLines, []);
      // The page (its stylesheet inline), the loader, the glue, the chunks' loader and the main
      // wasm, each once (a preload the loader did not reuse would show as a second wasm request);
      // no stylesheet request, no catalog for English, no theme. Then, once the form is live, the
      // chunks of the other pages (src/lazy), each once: the account's, the flows', the code they
      // share.
      const kinds = requested.map((p) => p.replace(/-[0-9a-f]{16}/, '').replace(/^\/shared-\d+/, '/shared'));
      assert.deepEqual(kinds.toSorted(), [
        '/account.wasm', '/auth/login', '/chunks.js', '/flows.wasm', '/loader.js', '/shared.wasm',
        '/strapi-login.js', '/strapi-login_bg.wasm',
      ], requested.join(' '));
      const timing = await page.evaluate((chunk) => ({
        ready: performance.getEntriesByName('login-ready')[0].startTime,
        chunks: performance.getEntriesByType('resource')
          .filter((r) => new RegExp(chunk).test(r.name))
          .map((r) => r.startTime),
      }), LAZY_CHUNK.source);
      assert.equal(timing.chunks.length, 3);
      assert.ok(timing.chunks.every((start) => start > timing.ready), JSON.stringify(timing));
    }));

  test('legacy mode: the jwt is stored under token, accepted by Strapi, and the dashboard shows the user', () =>
    inPage(browser, 'legacy login', async (page) => {
      await page.goto(`${app.legacy.origin}/auth/login`);
      await logIn(page, DEMO.email, DEMO.password);
      await atPath(page, '/dashboard');

      const stored = await storedKeys(page);
      assert.deepEqual(Object.keys(stored), ['token']);
      const answer = await me(strapi.legacy.api, stored.token);
      assert.equal(answer.status, 200);
      assert.equal(answer.body.username, DEMO.username);

      await page.getByText(`You are logged in as ${DEMO.username}.`).waitFor();
      await page.getByText(DEMO.email).waitFor();
    }));

  test('legacy mode: logging in by username works too, and the dashboard survives a reload', () =>
    inPage(browser, 'username login', async (page) => {
      await page.goto(`${app.legacy.origin}/auth/login`);
      await logIn(page, DEMO.username, DEMO.password);
      await atPath(page, '/dashboard');
      await page.reload();
      await page.getByText(DEMO.email).waitFor();
      assert.deepEqual(Object.keys(await storedKeys(page)), ['token']);
    }));

  test('typing the password opens the connection to Strapi, and the login uses it', () =>
    inProfile('preconnect', async (page) => {
      await page.goto(`${app.counted.origin}/auth/login`);
      await page.waitForFunction(() => performance.getEntriesByName('login-ready').length > 0);
      await page.getByLabel('Email or username').fill(DEMO.email);
      const before = counter.connections;
      await page.getByLabel('Password').fill(DEMO.password);
      for (let i = 0; i < 100 && counter.connections === before; i++) await page.waitForTimeout(50);
      const opened = counter.connections;
      assert.ok(opened > before, 'a connection to Strapi was opened while typing');

      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByText(`You are logged in as ${DEMO.username}.`).waitFor();
      assert.equal(counter.connections, opened, 'the login opened no connection of its own');
    }));

  test('refresh mode: accessToken and refreshToken are stored, no token', () =>
    inPage(browser, 'refresh login', async (page) => {
      await page.goto(`${app.refresh.origin}/auth/login`);
      await logIn(page, DEMO.email, DEMO.password);
      await atPath(page, '/dashboard');

      const stored = await storedKeys(page);
      assert.deepEqual(Object.keys(stored).sort(), ['accessToken', 'refreshToken']);
      assert.equal((await me(strapi.refresh.api, stored.accessToken)).status, 200);
      await page.getByText(DEMO.email).waitFor();
    }));

  test('wrong password: Strapi’s message, nothing stored', () =>
    inPage(browser, 'wrong password', async (page) => {
      await page.goto(`${app.legacy.origin}/auth/login`);
      await logIn(page, DEMO.email, 'not-the-password');
      assert.equal(await alertText(page), 'Invalid identifier or password');
      await assertFailedCleanly(page, DEMO.email);
      assert.equal(await page.getByLabel('Password').inputValue(), '');
    }));

  test('unknown user: the same message, nothing stored', () =>
    inPage(browser, 'unknown user', async (page) => {
      await page.goto(`${app.legacy.origin}/auth/login`);
      await logIn(page, 'nobody@example.com', DEMO.password);
      assert.equal(await alertText(page), 'Invalid identifier or password');
      await assertFailedCleanly(page, 'nobody@example.com');
    }));

  test('empty fields: each is flagged, nothing sent or stored', () =>
    inPage(browser, 'empty fields', async (page) => {
      await page.goto(`${app.legacy.origin}/auth/login`);
      let requests = 0;
      page.on('request', (r) => r.url().includes('/auth/local') && requests++);
      await page.getByRole('button', { name: 'Log in' }).click();
      assert.equal(await alertText(page), 'Enter your email or username. Enter your password.');
      for (const label of ['Email or username', 'Password']) {
        const input = page.getByLabel(label);
        assert.equal(await input.getAttribute('aria-invalid'), 'true');
        const describedBy = await input.getAttribute('aria-describedby');
        assert.match(await page.locator(`#${describedBy}`).textContent(), /^Enter your/);
      }
      assert.equal(requests, 0);
      await assertFailedCleanly(page, '');
    }));

  test('Strapi down: says the server cannot be reached, nothing stored', () =>
    inPage(browser, 'strapi down', async (page) => {
      await page.goto(`${app.down.origin}/auth/login`);
      await logIn(page, DEMO.email, DEMO.password);
      assert.match(await alertText(page), /Cannot reach the server/);
      await assertFailedCleanly(page, DEMO.email);
    }));

  test('the dashboard sends a logged-out person to the login page', () =>
    inPage(browser, 'dashboard guard', async (page) => {
      await page.goto(`${app.legacy.origin}/dashboard`);
      await atPath(page, '/auth/login');
      assert.equal(new URL(page.url()).searchParams.get('redirect'), '/dashboard');
      await page.getByLabel('Password').waitFor();
    }));
});

describe('another port and API prefix, set only by the served <meta> tags, with the rate limit on', () => {
  test('logging in works against /v2 on the other port', () =>
    inPage(browser, 'repointed login', async (page) => {
      const posts = [];
      page.on('request', (r) => r.method() === 'POST' && posts.push(r.url()));
      await page.goto(`${app.other.origin}/auth/login`);
      await logIn(page, DEMO.email, DEMO.password);
      await atPath(page, '/dashboard');
      assert.deepEqual(posts, [`${strapi.other.api}/auth/local`]);
      const stored = await storedKeys(page);
      assert.equal((await me(strapi.other.api, stored.token)).status, 200);
      await page.getByText(DEMO.email).waitFor();
    }));

  test('after too many attempts Strapi’s rate-limit message shows and nothing is stored', () =>
    inPage(browser, 'rate limit', async (page) => {
      await page.goto(`${app.other.origin}/auth/login`);
      // Strapi allows 10 attempts a minute; every outcome counts, so at most 11 reach the limit.
      let shown = '';
      for (let attempt = 1; attempt <= 12 && !shown.startsWith('Too many'); attempt++) {
        await logIn(page, DEMO.email, `wrong-${attempt}`);
        await page.getByRole('button', { name: 'Log in' }).waitFor();
        shown = await alertText(page);
        assert.match(shown, /Invalid identifier or password|Too many requests/);
      }
      assert.equal(shown, 'Too many requests, please try again later.');
      await assertFailedCleanly(page, DEMO.email);

      // The right password is refused too while the limit holds.
      await logIn(page, DEMO.email, DEMO.password);
      await page.getByRole('button', { name: 'Log in' }).waitFor();
      assert.equal(await alertText(page), 'Too many requests, please try again later.');
      await assertFailedCleanly(page, DEMO.email);
    }));
});
