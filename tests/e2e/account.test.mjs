// The account flows around the login, in headless Chromium against real Strapi 5.54.0 servers and
// the real mail they send (caught by each Strapi's MailDev): signing up in every JWT mode, with
// email confirmation on and off and with sign-up closed; forgotten password → mail → reset →
// logged in; and the cookie refresh mode, where Strapi hands sign-up and reset tokens over in the body.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  DEMO,
  alertText,
  atPath,
  axeViolations,
  inContext,
  inPage,
  linkIn,
  logIn,
  post,
  serveApp,
  startStack,
  storedKeys,
} from './harness.mjs';

let browser;
let strapi;
let app;
let stack;

before(async () => {
  stack = await startStack({
    legacy: { app: 3161, strapi: { port: 1461 } },
    refresh: { app: 3162, strapi: { port: 1462, mode: 'refresh' } },
    confirm: { app: 3163, strapi: { port: 1463, confirmation: true } },
    closed: { app: 3164, strapi: { port: 1464, register: false } },
    // Cookie mode, with access tokens short-lived enough to see a renewal.
    cookie: { app: 3165, strapi: { port: 1465, mode: 'refresh', lifespan: 6 }, serve: { refresh: 'cookie' } },
  });
  ({ strapi, app, browser } = stack);
});

after(() => stack?.stop());

let people = 0;
/** A new person's details, unique across the run. */
function newPerson(name = 'person') {
  people += 1;
  const username = `${name}${people}${Date.now() % 100000}`;
  return { username, email: `${username}@example.com`, password: `Pw-${username}!` };
}

async function signUp(page, person) {
  await page.getByLabel('Username').fill(person.username);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel(/^Password/).fill(person.password);
  await page.getByRole('button', { name: /create account/i }).click();
}

async function usersMe(api, token) {
  return (await fetch(`${api}/users/me`, { headers: { Authorization: `Bearer ${token}` } })).status;
}

async function loginStatus(api, identifier, password) {
  return (await post(api, '/auth/local', { identifier, password })).status;
}

describe('sign up', () => {
  test('legacy mode: the new account is logged in with its token stored, and Strapi accepts it', () =>
    inPage(browser, 'sign up legacy', async (page) => {
      const person = newPerson();
      await page.goto(`${app.legacy.origin}/auth/login`);
      await page.getByRole('link', { name: /create an account/i }).click();
      await atPath(page, '/auth/register');
      await signUp(page, person);
      await atPath(page, '/dashboard');
      await page.getByText(`You are logged in as ${person.username}.`).waitFor();
      const stored = await storedKeys(page);
      assert.deepEqual(Object.keys(stored), ['token']);
      assert.equal(await usersMe(strapi.legacy.api, stored.token), 200);
    }));

  test('refresh mode: the pair is stored, and ?redirect= is honoured', () =>
    inPage(browser, 'sign up refresh', async (page) => {
      const person = newPerson();
      await page.goto(`${app.refresh.origin}/auth/register?redirect=%2Fdashboard%3Fwelcome%3D1`);
      await signUp(page, person);
      await page.waitForURL((url) => url.pathname === '/dashboard' && url.search === '?welcome=1');
      const stored = await storedKeys(page);
      assert.deepEqual(Object.keys(stored).sort(), ['accessToken', 'refreshToken']);
      assert.equal(await usersMe(strapi.refresh.api, stored.accessToken), 200);
    }));

  test('a taken account shows Strapi’s message, stores nothing and keeps the form usable', () =>
    inPage(browser, 'sign up duplicate', async (page) => {
      await page.goto(`${app.legacy.origin}/auth/register`);
      await signUp(page, { username: 'someone-new', email: DEMO.email, password: 'Whatever-1' });
      assert.equal(await alertText(page), 'Email or Username are already taken');
      assert.deepEqual(await storedKeys(page), {});
      assert.equal(await page.getByLabel(/^Password/).inputValue(), '');
      assert.equal(await page.getByRole('button', { name: /create account/i }).isEnabled(), true);
    }));

  test('closed by the page: no link on the login page, and the register page says so', async () => {
    const closedApp = await serveApp({ port: 3166, strapiUrl: strapi.closed.url, register: 'off' });
    try {
      await inPage(browser, 'sign up closed by page', async (page) => {
        await page.goto(`${closedApp.origin}/auth/login`);
        await page.getByLabel('Password').waitFor();
        assert.equal(await page.getByRole('link', { name: /create an account/i }).count(), 0);
        await page.goto(`${closedApp.origin}/auth/register`);
        assert.match(await alertText(page), /Sign-up is closed/);
        assert.equal(await page.getByLabel('Username').count(), 0);
      });
    } finally {
      await closedApp.stop();
    }
  });

  test('closed at Strapi: its message shows and nothing is stored', () =>
    inPage(browser, 'sign up closed by strapi', async (page) => {
      await page.goto(`${app.closed.origin}/auth/register`);
      await signUp(page, newPerson());
      assert.equal(await alertText(page), 'Register action is currently disabled');
      assert.deepEqual(await storedKeys(page), {});
    }));
});

describe('email confirmation on', () => {
  test('sign up → mail → link → confirmed page → login works; before confirming, login offers a new link', () =>
    inPage(browser, 'email confirmation', async (page) => {
      const person = newPerson('confirm');
      await page.goto(`${app.confirm.origin}/auth/register`);
      await signUp(page, person);
      const status = page.getByRole('status');
      await status.filter({ hasText: person.email }).waitFor();
      assert.match(await status.textContent(), /check your email/i);
      assert.deepEqual(await storedKeys(page), {});
      assert.deepEqual(await axeViolations(page), [], 'the check-your-email state');
      const first = await strapi.confirm.mailTo(person.email);

      // Logging in before confirming: Strapi refuses, the alert offers a new link.
      await page.goto(`${app.confirm.origin}/auth/login`);
      await logIn(page, person.email, person.password);
      assert.match(await alertText(page), /not confirmed/);
      await page.getByRole('alert').getByRole('button', { name: /resend/i }).click();
      await page.getByRole('alert').filter({ hasText: 'A new confirmation link is on its way' }).waitFor();
      assert.deepEqual(await axeViolations(page), [], 'the login alert with its resend');
      assert.deepEqual(await storedKeys(page), {});
      const second = await strapi.confirm.mailTo(person.email, first);
      assert.notEqual(linkIn(second, 'confirmation'), linkIn(first, 'confirmation'), 'a new link was sent');

      // The link goes to Strapi, which confirms and sends the browser to the app.
      await page.goto(linkIn(second, 'confirmation'));
      await atPath(page, '/auth/email-confirmed');
      await page.getByRole('status').filter({ hasText: /confirmed/i }).waitFor();
      await logIn(page, person.email, person.password);
      await atPath(page, '/dashboard');
      assert.deepEqual(Object.keys(await storedKeys(page)), ['token']);
    }));
});

describe('forgotten password', () => {
  test('forgot → mail → reset → logged in; the old password is refused and the new one accepted; the code is used up', () =>
    inPage(browser, 'forgot and reset', async (page) => {
      const person = newPerson('forgot');
      await post(strapi.legacy.api, '/auth/local/register', person);
      await page.goto(`${app.legacy.origin}/auth/login`);
      await page.getByRole('link', { name: /forgot/i }).click();
      await atPath(page, '/auth/forgot-password');
      await page.getByLabel('Email').fill(person.email);
      await page.getByRole('button', { name: /send reset link/i }).click();
      await page.getByRole('status').filter({ hasText: person.email }).waitFor();

      const link = linkIn(await strapi.legacy.mailTo(person.email), 'code');
      assert.ok(link.startsWith(`${app.legacy.origin}/auth/reset-password?code=`), link);
      await page.goto(link);
      await page.getByLabel(/^new password/i).waitFor();
      assert.equal(new URL(page.url()).search, '', 'the code left the address bar');

      const newPassword = `${person.password}-new`;
      await page.getByLabel(/^new password/i).fill(newPassword);
      await page.getByLabel(/confirm/i).fill(newPassword);
      await page.getByRole('button', { name: /set new password/i }).click();
      await atPath(page, '/dashboard');
      const stored = await storedKeys(page);
      assert.equal(await usersMe(strapi.legacy.api, stored.token), 200);
      assert.equal(await loginStatus(strapi.legacy.api, person.email, person.password), 400);
      assert.equal(await loginStatus(strapi.legacy.api, person.email, newPassword), 200);

      // The same link again: the code is used up.
      await page.evaluate(() => localStorage.clear());
      await page.goto(link);
      await page.getByLabel(/^new password/i).fill('Another-1');
      await page.getByLabel(/confirm/i).fill('Another-1');
      await page.getByRole('button', { name: /set new password/i }).click();
      assert.match(await alertText(page), /not valid/);
      await page.getByRole('alert').getByRole('link', { name: /new password reset link/i }).waitFor();
      assert.deepEqual(await storedKeys(page), {});
    }));

  test('an unknown address gets the same answer, and a made-up code is refused', () =>
    inPage(browser, 'forgot unknown', async (page) => {
      await page.goto(`${app.legacy.origin}/auth/forgot-password`);
      await page.getByLabel('Email').fill('nobody-here@example.com');
      await page.getByRole('button', { name: /send reset link/i }).click();
      await page.getByRole('status').filter({ hasText: 'nobody-here@example.com' }).waitFor();

      await page.goto(`${app.legacy.origin}/auth/reset-password?code=${'0'.repeat(128)}`);
      await page.getByLabel(/^new password/i).fill('Another-1');
      await page.getByLabel(/confirm/i).fill('Another-1');
      await page.getByRole('button', { name: /set new password/i }).click();
      assert.match(await alertText(page), /not valid/);
      assert.deepEqual(await storedKeys(page), {});
    }));

  test('a reset page without a code says so and sends nothing', () =>
    inPage(browser, 'reset without code', async (page) => {
      const posts = [];
      page.on('request', (r) => r.method() === 'POST' && posts.push(r.url()));
      await page.goto(`${app.legacy.origin}/auth/reset-password`);
      assert.match(await alertText(page), /no reset code/);
      await page.getByRole('link', { name: /new password reset link/i }).click();
      await atPath(page, '/auth/forgot-password');
      assert.deepEqual(posts, []);
    }));
});

describe('cookie mode', () => {
  /** Waits until the stored access token has been renewed at least once, and returns it. */
  async function renewedAccessToken(page, before) {
    await page.waitForFunction((old) => {
      const now = localStorage.getItem('accessToken');
      return now && now !== old;
    }, before, { timeout: 15000 });
    return page.evaluate(() => localStorage.getItem('accessToken'));
  }

  test('after sign-up no refresh token is stored, and the session renews through the cookie', () =>
    inPage(browser, 'cookie sign up', async (page) => {
      await page.goto(`${app.cookie.origin}/auth/register`);
      await signUp(page, newPerson('cookie'));
      await atPath(page, '/dashboard');
      const stored = await storedKeys(page);
      assert.deepEqual(Object.keys(stored), ['accessToken']);
      const renewed = await renewedAccessToken(page, stored.accessToken);
      assert.equal(await usersMe(strapi.cookie.api, renewed), 200);
      assert.equal(new URL(page.url()).pathname, '/dashboard');
    }));

  test('a reset in a browser holding a dead cookie from an earlier login still ends in a renewable session', () =>
    inContext(browser, 'cookie reset stale cookie', async (context) => {
      const page = await context.newPage();
      const person = newPerson('stale');
      await post(strapi.cookie.api, '/auth/local/register', person);
      await page.goto(`${app.cookie.origin}/auth/login`);
      await logIn(page, person.email, person.password);
      await atPath(page, '/dashboard');
      assert.equal((await context.cookies()).some((c) => c.name === 'strapi_up_refresh'), true);

      await page.goto(`${app.cookie.origin}/auth/forgot-password`);
      await page.getByLabel('Email').fill(person.email);
      await page.getByRole('button', { name: /send reset link/i }).click();
      await page.getByRole('status').waitFor();
      await page.goto(linkIn(await strapi.cookie.mailTo(person.email), 'code'));
      const newPassword = `${person.password}-new`;
      await page.getByLabel(/^new password/i).fill(newPassword);
      await page.getByLabel(/confirm/i).fill(newPassword);
      await page.getByRole('button', { name: /set new password/i }).click();
      await atPath(page, '/dashboard');
      const stored = await storedKeys(page);
      assert.deepEqual(Object.keys(stored), ['accessToken']);
      assert.equal(await page.getByRole('status').count(), 0, 'no warning: the session renews');
      const renewed = await renewedAccessToken(page, stored.accessToken);
      assert.equal(await usersMe(strapi.cookie.api, renewed), 200);
    }));
});
