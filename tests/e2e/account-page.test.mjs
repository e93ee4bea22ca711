// The account page against real Strapi 5.54.0 servers: changing the password in each JWT mode,
// and "Where you are signed in" with two browser contexts logged in as the same person.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  alertText,
  atPath,
  axeViolations,
  inContext,
  inPage,
  logIn,
  post,
  registerPerson,
  sidewaysOverflow,
  startStack,
  storedKeys,
} from './harness.mjs';

const newPerson = (api) => registerPerson(api, 'acct');

let browser;
let strapi;
let app;
let stack;

before(async () => {
  stack = await startStack({
    legacy: { app: 3171, strapi: { port: 1471 } },
    // Access tokens short-lived enough to see renewals (and their failure) within a test. (12 s:
    // the two-browser test reads a session id and acts on it well within one lifetime, as every
    // renewal gives the session a new id.)
    refresh: { app: 3172, strapi: { port: 1472, mode: 'refresh', lifespan: 12 } },
    cookie: { app: 3173, strapi: { port: 1473, mode: 'refresh', lifespan: 6 }, serve: { refresh: 'cookie' } },
  });
  ({ strapi, app, browser } = stack);
});

after(() => stack?.stop());

async function loginStatus(api, identifier, password) {
  return (await post(api, '/auth/local', { identifier, password })).status;
}

async function changePassword(page, current, next) {
  await page.getByLabel(/current password/i).fill(current);
  await page.getByLabel(/^new password/i).fill(next);
  await page.getByLabel(/confirm/i).fill(next);
  await page.getByRole('button', { name: /change password/i }).click();
}

/** Logs `person` in at `base` and opens the password change from the dashboard's link. */
async function toPasswordChange(page, base, person) {
  await page.goto(`${base}/auth/login`);
  await logIn(page, person.email, person.password);
  await atPath(page, '/dashboard');
  await page.getByRole('link', { name: /change password/i }).click();
  await atPath(page, '/account/password');
}

const changed = (page) => page.getByRole('status').filter({ hasText: /changed/i }).waitFor();

describe('change password', () => {
  test('legacy mode: the new token works, the new password logs in and the old one does not', () =>
    inPage(browser, 'change legacy', async (page) => {
      const person = await newPerson(strapi.legacy.api);
      await toPasswordChange(page, app.legacy.origin, person);
      const before = await storedKeys(page);
      // A legacy JWT is {id, iat, exp} in whole seconds: one issued in the same second as the
      // login's would be the same token, and the replacement could not be seen.
      await page.waitForTimeout(1100);
      const next = `${person.password}-2`;
      await changePassword(page, person.password, next);
      await changed(page);
      const after = await storedKeys(page);
      assert.deepEqual(Object.keys(after), ['token']);
      assert.notEqual(after.token, before.token);
      const me = await fetch(`${strapi.legacy.api}/users/me`, { headers: { Authorization: `Bearer ${after.token}` } });
      assert.equal(me.status, 200);
      assert.equal(await loginStatus(strapi.legacy.api, person.email, next), 200);
      assert.equal(await loginStatus(strapi.legacy.api, person.email, person.password), 400);
    }));

  test('refresh mode: a new pair is stored, the refresh token from before is dead, a reload stays logged in', () =>
    inPage(browser, 'change refresh', async (page) => {
      const person = await newPerson(strapi.refresh.api);
      await toPasswordChange(page, app.refresh.origin, person);
      const before = await storedKeys(page);
      await changePassword(page, person.password, `${person.password}-2`);
      await changed(page);
      const after = await storedKeys(page);
      assert.deepEqual(Object.keys(after).sort(), ['accessToken', 'refreshToken']);
      assert.notEqual(after.refreshToken, before.refreshToken);
      assert.equal((await post(strapi.refresh.api, '/auth/refresh', { refreshToken: before.refreshToken })).status, 401);
      await page.reload();
      await page.getByRole('heading', { name: 'Change password' }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/account/password');
      await page.getByRole('link', { name: /dashboard/i }).click();
      await page.getByText(person.email).waitFor();
    }));

  test('cookie mode: the new session moves into the cookie and renews, with nothing to warn about', () =>
    inPage(browser, 'change cookie', async (page) => {
      const person = await newPerson(strapi.cookie.api);
      await toPasswordChange(page, app.cookie.origin, person);
      await changePassword(page, person.password, `${person.password}-2`);
      await changed(page);
      assert.equal(await page.getByRole('status').count(), 1, 'only the confirmation');
      const stored = await storedKeys(page);
      assert.deepEqual(Object.keys(stored), ['accessToken']);
      await page.waitForFunction((old) => localStorage.getItem('accessToken') !== old, stored.accessToken, { timeout: 15000 });
      const renewed = await page.evaluate(() => localStorage.getItem('accessToken'));
      const me = await fetch(`${strapi.cookie.api}/users/me`, { headers: { Authorization: `Bearer ${renewed}` } });
      assert.equal(me.status, 200);
    }));

  test('a wrong current password: Strapi’s message on that field, nothing changed', () =>
    inPage(browser, 'change wrong current', async (page) => {
      const person = await newPerson(strapi.legacy.api);
      await toPasswordChange(page, app.legacy.origin, person);
      const before = await storedKeys(page);
      await changePassword(page, 'not-my-password', `${person.password}-2`);
      assert.equal(await alertText(page), 'The provided current password is invalid');
      const current = page.getByLabel(/current password/i);
      assert.equal(await current.getAttribute('aria-invalid'), 'true');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'currentPassword');
      assert.deepEqual(await storedKeys(page), before);
      assert.equal(await loginStatus(strapi.legacy.api, person.email, person.password), 200);
    }));

  test('axe finds nothing on the page and its states, a keyboard alone completes it, and it fits 320 px', () =>
    inPage(browser, 'change a11y', async (page) => {
      const person = await newPerson(strapi.legacy.api);
      await page.setViewportSize({ width: 320, height: 640 });
      await toPasswordChange(page, app.legacy.origin, person);
      assert.deepEqual(await axeViolations(page), [], 'as it opens');
      await page.getByRole('button', { name: /change password/i }).click();
      await page.locator('[aria-invalid=true]').first().waitFor();
      assert.deepEqual(await axeViolations(page), [], 'after the checks');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'currentPassword');
      // Keyboard only from here: current, its toggle, new, its toggle, confirmation, Enter.
      const next = `${person.password}-2`;
      await page.keyboard.type(person.password);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.type(next);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.type(next);
      await page.keyboard.press('Enter');
      await changed(page);
      assert.deepEqual(await axeViolations(page), [], 'after the change');
      assert.ok((await sidewaysOverflow(page)) <= 0);
    }));
});

describe('where you are signed in', () => {
  test('another browser logged in as the same person is listed; signing it out ends its session at its next renewal', () =>
    inContext(browser, 'devices first', async (first) =>
      inContext(browser, 'devices second', async (second) => {
        const person = await newPerson(strapi.refresh.api);
        const [a, b] = [await first.newPage(), await second.newPage()];
        for (const page of [a, b]) {
          await page.goto(`${app.refresh.origin}/auth/login`);
          await logIn(page, person.email, person.password);
          await atPath(page, '/dashboard');
        }
        // Which of the listed sessions is the second browser's: Strapi says so to its own token.
        const bToken = (await storedKeys(b)).accessToken;
        const bList = await (await fetch(`${strapi.refresh.api}/auth/sessions`, { headers: { Authorization: `Bearer ${bToken}` } })).json();
        const bId = bList.data.find((s) => s.current).id;

        await a.reload();
        const list = a.getByRole('list');
        await list.getByRole('listitem').nth(2).waitFor(); // the sign-up's session, and the two logins
        assert.equal(await list.getByRole('listitem').count(), 3);
        assert.equal(await list.getByText('This browser').count(), 1);
        assert.deepEqual(await axeViolations(a), [], 'the dashboard with its list');

        await a.locator(`button[aria-describedby="device-${bId}"]`).click();
        await a.waitForFunction(() => document.querySelectorAll('.devices li').length === 2);
        assert.equal(new URL(a.url()).pathname, '/dashboard', 'the first browser stays');

        // The second browser's access token lives out its 12 s; its renewal is refused.
        await atPath(b, '/auth/login', 30000);
        await b.getByRole('status').filter({ hasText: /expired/i }).waitFor();
        assert.deepEqual(await storedKeys(b), {});
        assert.equal(new URL(a.url()).pathname, '/dashboard');
      })));

  test('"Sign out of all other devices" leaves only this browser, and signing out this one logs out', () =>
    inContext(browser, 'devices all others', async (context) => {
      const person = await newPerson(strapi.refresh.api);
      await post(strapi.refresh.api, '/auth/local', { identifier: person.email, password: person.password });
      const page = await context.newPage();
      await page.goto(`${app.refresh.origin}/auth/login`);
      await logIn(page, person.email, person.password);
      await atPath(page, '/dashboard');
      // Two others: the sign-up's session and the API login above.
      await page.getByRole('button', { name: 'Sign out of all 2 other devices' }).click();
      await page.waitForFunction(() => document.querySelectorAll('.devices li').length === 1);
      assert.equal(await page.getByRole('button', { name: /sign out of (the|all) .*other device/i }).count(), 0);
      await page.getByRole('list').getByRole('button', { name: 'Sign out' }).click();
      await atPath(page, '/auth/login');
      await page.getByRole('status').filter({ hasText: /logged out/i }).waitFor();
      assert.deepEqual(await storedKeys(page), {});
    }));

  test('legacy mode explains that Strapi keeps no sessions', () =>
    inPage(browser, 'devices legacy', async (page) => {
      const person = await newPerson(strapi.legacy.api);
      await page.goto(`${app.legacy.origin}/auth/login`);
      await logIn(page, person.email, person.password);
      await page.getByText(/keeps no list/).waitFor();
      assert.equal(await page.getByRole('button', { name: /sign out of all/i }).count(), 0);
    }));
});
