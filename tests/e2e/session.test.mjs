// The session over time against real Strapi 5.54.0 servers whose access tokens live 5 seconds:
// renewal across reloads and tabs, logout revoking the refresh token, logout reaching other tabs,
// the cookie refresh mode, and the redirect after login (honoured, never open).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { DEMO, atPath, inContext, inPage, launchBrowser, logIn, loggedInAt, serveApp, startStrapi, storedKeys } from './harness.mjs';

const APPS = { refresh: 3111, cookie: 3112, legacy: 3113 };
const ORIGINS = Object.values(APPS).map((port) => `http://127.0.0.1:${port}`);
const LIFESPAN = 5; // seconds an access token lives

let browser;
let strapi;
let app;

before(async () => {
  const [refresh, legacy] = await Promise.all([
    startStrapi({ port: 1411, mode: 'refresh', lifespan: LIFESPAN, origins: ORIGINS }),
    startStrapi({ port: 1412, mode: 'legacy', origins: ORIGINS }),
  ]);
  strapi = { refresh, legacy };
  const [refreshApp, cookieApp, legacyApp] = await Promise.all([
    serveApp({ port: APPS.refresh, strapiUrl: refresh.url }),
    // The same Strapi, asked per request (X-Strapi-Refresh-Cookie) to keep the refresh token in
    // its httpOnly cookie; 127.0.0.1 on two ports is one site, so the cookie travels.
    serveApp({ port: APPS.cookie, strapiUrl: refresh.url, refresh: 'cookie' }),
    serveApp({ port: APPS.legacy, strapiUrl: legacy.url }),
  ]);
  app = { refresh: refreshApp, cookie: cookieApp, legacy: legacyApp };
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await Promise.all(Object.values(app ?? {}).map((s) => s.stop()));
  await Promise.all(Object.values(strapi ?? {}).map((s) => s.stop()));
});

async function refreshAtStrapi(refreshToken) {
  const response = await fetch(`${strapi.refresh.api}/auth/refresh`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ refreshToken }),
  });
  return response.status;
}

describe('refresh mode with 5-second access tokens', () => {
  test('a reload after the access token expired stays logged in, with renewed tokens', () =>
    inPage(browser, 'reload after expiry', async (page) => {
      await loggedInAt(page, app.refresh.origin);
      const first = await storedKeys(page);
      await page.close();

      // No tab runs while the token expires; the next visit must renew it.
      const next = await page.context().newPage();
      await sleep((LIFESPAN + 1) * 1000);
      await next.goto(`${app.refresh.origin}/dashboard`);
      await next.getByText(DEMO.email).waitFor();
      assert.equal(new URL(next.url()).pathname, '/dashboard');
      const renewed = await storedKeys(next);
      assert.notEqual(renewed.accessToken, first.accessToken);
      assert.notEqual(renewed.refreshToken, first.refreshToken, 'Strapi rotates the refresh token');
      assert.equal(await refreshAtStrapi(first.refreshToken), 401, 'the old refresh token is dead');
    }));

  test('two tabs stay logged in while their tokens are renewed again and again', () =>
    inContext(browser, 'two tabs renewing', async (context) => {
      const one = await context.newPage();
      await loggedInAt(one, app.refresh.origin);
      const two = await context.newPage();
      await two.goto(`${app.refresh.origin}/dashboard`);
      await two.getByText(DEMO.email).waitFor();
      const start = await storedKeys(one);

      // Three lifetimes: each tab's timer wants to renew; the lock lets one tab do it each time.
      await sleep(3 * LIFESPAN * 1000);
      for (const tab of [one, two]) {
        // Reloaded just after a renewal, not during one: Strapi kills a refresh token the moment
        // it answers with its successor, and a page unloaded while that answer is on its way
        // never stores it (a hazard of rotation the app does not mend; it made this test flaky).
        const current = (await storedKeys(tab)).refreshToken;
        await tab.waitForFunction((token) => localStorage.getItem('refreshToken') !== token, current, {
          timeout: 2 * LIFESPAN * 1000,
        });
        await tab.reload();
        await tab.getByText(DEMO.email).waitFor();
        assert.equal(new URL(tab.url()).pathname, '/dashboard');
      }
      const now = await storedKeys(two);
      assert.notEqual(now.refreshToken, start.refreshToken);
      assert.deepEqual(await storedKeys(one), now, 'both tabs see the same, newest tokens');
    }));

  test('logging out revokes the refresh token at Strapi and empties storage', () =>
    inPage(browser, 'logout revokes', async (page) => {
      await loggedInAt(page, app.refresh.origin);
      // Read the newest refresh token and click in one go, so no renewal slips in between.
      const refreshToken = await page.evaluate(() => {
        const token = localStorage.getItem('refreshToken');
        [...document.querySelectorAll('button')].find((b) => b.textContent === 'Log out').click();
        return token;
      });
      await atPath(page, '/auth/login');
      await page.getByText('You have been logged out.').waitFor();
      assert.deepEqual(await storedKeys(page), {});
      assert.equal(await refreshAtStrapi(refreshToken), 401, 'revoked at Strapi');
    }));

  test('logging out in one tab moves the other tab to the login page', () =>
    inContext(browser, 'logout reaches other tab', async (context) => {
      const one = await context.newPage();
      await loggedInAt(one, app.refresh.origin);
      const two = await context.newPage();
      await two.goto(`${app.refresh.origin}/dashboard`);
      await two.getByText(DEMO.email).waitFor();

      await one.getByRole('button', { name: 'Log out' }).click();
      await atPath(two, '/auth/login', 5000);
      await two.getByText('You have been logged out.').waitFor();
    }));

  test('logging in in one tab moves the other tab off the login page', () =>
    inContext(browser, 'login reaches other tab', async (context) => {
      const one = await context.newPage();
      const two = await context.newPage();
      await two.goto(`${app.refresh.origin}/auth/login`);
      await two.getByLabel('Password').waitFor();
      await loggedInAt(one, app.refresh.origin);
      await atPath(two, '/dashboard', 5000);
      await two.getByText(DEMO.email).waitFor();
    }));
});

describe('cookie refresh mode', () => {
  test('only the access token is stored, and a reload after expiry renews it through the cookie', () =>
    inPage(browser, 'cookie mode', async (page) => {
      await loggedInAt(page, app.cookie.origin);
      const first = await storedKeys(page);
      assert.deepEqual(Object.keys(first), ['accessToken']);

      await sleep((LIFESPAN + 1) * 1000);
      await page.reload();
      await page.getByText(DEMO.email).waitFor();
      const renewed = await storedKeys(page);
      assert.deepEqual(Object.keys(renewed), ['accessToken']);
      assert.notEqual(renewed.accessToken, first.accessToken);

      await page.getByRole('button', { name: 'Log out' }).click();
      await atPath(page, '/auth/login');
      assert.deepEqual(await storedKeys(page), {});
    }));
});

describe('the redirect after login', () => {
  test('a logged-out visit to a private page returns there after login', () =>
    inPage(browser, 'redirect back', async (page) => {
      await page.goto(`${app.legacy.origin}/dashboard?tab=profile`);
      await atPath(page, '/auth/login');
      assert.equal(new URL(page.url()).searchParams.get('redirect'), '/dashboard?tab=profile');
      await logIn(page, DEMO.email, DEMO.password);
      await page.waitForURL((url) => url.pathname + url.search === '/dashboard?tab=profile');
    }));

  for (const target of ['//evil.example/', 'https://evil.example/', '/\\evil.example', '%2F%2Fevil.example', 'javascript:alert(1)']) {
    test(`an open redirect to ${target} is refused`, () =>
      inPage(browser, `open redirect ${target}`, async (page) => {
        await page.goto(`${app.legacy.origin}/auth/login?redirect=${encodeURIComponent(target)}`);
        await logIn(page, DEMO.email, DEMO.password);
        await page.waitForURL(`${app.legacy.origin}/dashboard`);
        await page.getByText(DEMO.email).waitFor();
      }));
  }

  test('a logged-in person opening the login page goes to the dashboard', () =>
    inPage(browser, 'login when logged in', async (page) => {
      await loggedInAt(page, app.legacy.origin);
      await page.goto(`${app.legacy.origin}/auth/login`);
      await atPath(page, '/dashboard');
    }));
});
