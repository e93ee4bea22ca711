// Logging in with a provider, end to end: the app, real Strapi 5.54.0 servers in each JWT mode,
// and the real OAuth2 provider each runs beside it (strapi/services/oauth-provider.mjs), under
// the strict Content-Security-Policy (inPage fails on any violation).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { DEMO, alertText, atPath, axeViolations, inPage, startStack, storedKeys } from './harness.mjs';

let browser;
let strapi;
let app;
let stack;

before(async () => {
  const serve = (refresh = '') => ({ providers: 'mock', refresh });
  stack = await startStack({
    legacy: { app: 3181, strapi: { port: 1481 }, serve: serve() },
    refresh: { app: 3182, strapi: { port: 1482, mode: 'refresh' }, serve: serve() },
    cookie: { app: 3183, strapi: { port: 1483, mode: 'refresh' }, serve: serve('cookie') },
  });
  ({ strapi, app, browser } = stack);
});

after(() => stack?.stop());

let people = 0;
function newIdentity() {
  people += 1;
  const username = `oauth${people}${Date.now() % 100000}`;
  return { username, email: `${username}@example.com` };
}

/** Presses "Continue with mock" on `path` and follows the round trip to wherever it ends. */
async function continueWithMock(page, base, path = '/auth/login') {
  await page.goto(`${base}${path}`);
  await page.getByRole('link', { name: /continue with mock/i }).click();
}

describe('provider login', () => {
  for (const [mode, keys] of [
    ['legacy', ['token']],
    ['refresh', ['accessToken', 'refreshToken']],
    ['cookie', ['accessToken']],
  ]) {
    test(`${mode} mode: the round trip ends on the dashboard with the provider's user, stored as a login`, () =>
      inPage(browser, `provider ${mode}`, async (page) => {
        const who = newIdentity();
        await strapi[mode].nextProviderLogin(who);
        await continueWithMock(page, app[mode].origin);
        await atPath(page, '/dashboard');
        assert.equal(new URL(page.url()).search, '');
        await page.getByText(who.email).waitFor();
        const stored = await storedKeys(page);
        assert.deepEqual(Object.keys(stored).sort(), keys);
        const me = await fetch(`${strapi[mode].api}/users/me`, {
          headers: { Authorization: `Bearer ${stored.token ?? stored.accessToken}` },
        });
        assert.equal((await me.json()).email, who.email);
      }));
  }

  test('a denial at the provider shows its reason, stores nothing, and links back', () =>
    inPage(browser, 'provider denied', async (page) => {
      await strapi.legacy.nextProviderLogin({ deny: true });
      await continueWithMock(page, app.legacy.origin);
      await atPath(page, '/connect/mock/redirect');
      assert.match(await alertText(page), /did not succeed: The user denied the request/);
      assert.equal(new URL(page.url()).search, '', 'the error left the address bar');
      assert.deepEqual(await storedKeys(page), {});
      assert.deepEqual(await axeViolations(page), []);
      await page.getByRole('link', { name: /back to the login page/i }).click();
      await atPath(page, '/auth/login');
    }));

  test('?redirect= survives the round trip, and a hostile one does not', () =>
    inPage(browser, 'provider redirect', async (page) => {
      await strapi.refresh.nextProviderLogin(newIdentity());
      await continueWithMock(page, app.refresh.origin, '/auth/login?redirect=%2Fdashboard%3Ffrom%3Dprovider');
      await page.waitForURL((url) => url.pathname === '/dashboard' && url.search === '?from=provider');

      await page.evaluate(() => localStorage.clear());
      await strapi.refresh.nextProviderLogin(newIdentity());
      await continueWithMock(page, app.refresh.origin, '/auth/login?redirect=%2F%2Fevil.example%2Fx');
      await page.waitForURL((url) => url.pathname === '/dashboard');
      assert.equal(new URL(page.url()).origin, app.refresh.origin);
      assert.equal(new URL(page.url()).search, '');
    }));

  test('an email that belongs to a local account: Strapi’s refusal, nothing stored', () =>
    inPage(browser, 'provider email taken', async (page) => {
      await strapi.legacy.nextProviderLogin({ email: DEMO.email, username: 'someone' });
      await continueWithMock(page, app.legacy.origin);
      assert.match(await alertText(page), /Email is already taken/);
      assert.deepEqual(await storedKeys(page), {});
    }));

  test('the return page opened by itself says calmly that there is nothing to finish', () =>
    inPage(browser, 'provider no round trip', async (page) => {
      await page.goto(`${app.legacy.origin}/connect/mock/redirect`);
      assert.match(await alertText(page), /There is no login with mock to finish here/);
      await page.goto(`${app.legacy.origin}/connect/github/redirect?access_token=stolen`);
      assert.match(await alertText(page), /Logging in with GitHub is not offered here/);
      assert.equal(new URL(page.url()).search, '', 'the token left the address bar');
      assert.deepEqual(await storedKeys(page), {});
    }));

  test('the register page offers the provider too', () =>
    inPage(browser, 'provider on register', async (page) => {
      await page.goto(`${app.legacy.origin}/auth/register`);
      const link = page.getByRole('link', { name: /continue with mock/i });
      assert.equal(await link.getAttribute('href'), `${strapi.legacy.api}/connect/mock`);
    }));
});
