// Passkeys against real Strapi 5.54.0 servers running strapi-plugin-passkeys, in headless
// Chromium with a virtual authenticator (DevTools protocol, WebAuthn domain): add one on the
// account page, log out, sign in with it in each JWT mode (and renew afterwards), remove it (the
// browser told, forgetting it), and be refused with one removed elsewhere. Passkeys need a domain for their relying party id, so these apps are served
// at http://localhost:PORT (a secure context, as https is), and Strapi too, so the cookie mode's
// cookie is same-site.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import {
  DEMO,
  atPath,
  axeViolations,
  inPage,
  launchBrowser,
  logIn,
  post,
  registerPerson,
  serveApp,
  startStrapi,
  storedKeys,
  virtualAuthenticator as authenticator,
} from './harness.mjs';

const newPerson = (api) => registerPerson(api, 'pk');

const APPS = { legacy: 3191, refresh: 3192, cookie: 3193 };
const STRAPI = { legacy: 1551, refresh: 1552 };
const LIFESPAN = 8; // seconds an access token lives in refresh mode
const local = (port) => `http://localhost:${port}`;

let browser;
const strapi = {};
const app = {};

before(async () => {
  const origins = (...ports) => ports.map(local);
  [strapi.legacy, strapi.refresh] = await Promise.all([
    startStrapi({ port: STRAPI.legacy, origins: origins(APPS.legacy), passkeyOrigins: origins(APPS.legacy) }),
    startStrapi({
      port: STRAPI.refresh,
      mode: 'refresh',
      lifespan: LIFESPAN,
      origins: origins(APPS.refresh, APPS.cookie),
      passkeyOrigins: origins(APPS.refresh, APPS.cookie),
    }),
  ]);
  const at = (name) => local(STRAPI[name]);
  const passkeys = ['--passkeys', 'on'];
  [app.legacy, app.refresh, app.cookie] = await Promise.all([
    serveApp({ port: APPS.legacy, strapiUrl: at('legacy'), configure: passkeys }),
    serveApp({ port: APPS.refresh, strapiUrl: at('refresh'), configure: passkeys }),
    serveApp({ port: APPS.cookie, strapiUrl: at('refresh'), refresh: 'cookie', configure: passkeys }),
  ]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await Promise.all(Object.values(app).map((s) => s.stop()));
  await Promise.all(Object.values(strapi).map((s) => s.stop()));
});

/** "Confirm it's you" (confirm.test.mjs covers it): the step, answered with `password`. */
async function confirmWith(page, password) {
  const step = page.getByRole('group', { name: "Confirm it's you" });
  await step.getByLabel('Password', { exact: true }).fill(password);
  await step.getByRole('button', { name: 'Confirm' }).click();
}

/**
 * On the dashboard: adds a passkey named `name` (confirming with `password`, unless a
 * confirmation is still in memory) and waits for the list to show it.
 */
async function addPasskey(page, name, password) {
  await page.getByLabel('Passkey name').fill(name);
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  if (password) await confirmWith(page, password);
  await page.getByRole('status').filter({ hasText: `Passkey “${name}” added.` }).waitFor();
  await page.locator('.devices li', { hasText: name }).getByText('Not used yet.').waitFor();
}

/** Removes `person`'s passkey `name` straight at Strapi, as another browser of theirs would. */
async function removeAtStrapi(api, person, name) {
  const { jwt } = await (await post(api, '/auth/local', { identifier: person.email, password: person.password })).json();
  const { confirmation } = await (await post(api, '/passkeys/confirmation/password', { password: person.password }, jwt)).json();
  const listed = await (await fetch(`${api}/passkeys`, { headers: { Authorization: `Bearer ${jwt}` } })).json();
  const { id } = listed.find((p) => p.name === name);
  const r = await post(api, '/passkeys/remove', { confirmation, id }, jwt);
  assert.equal(r.status, 200, await r.text());
}

async function logOut(page) {
  await page.getByRole('button', { name: 'Log out' }).click();
  await atPath(page, '/auth/login');
}

const STORED = {
  legacy: ['token'],
  refresh: ['accessToken', 'refreshToken'],
  cookie: ['accessToken'],
};

for (const mode of ['legacy', 'refresh', 'cookie']) {
  const api = () => (mode === 'legacy' ? strapi.legacy : strapi.refresh).api;
  describe(`${mode} mode`, () => {
    test('add a passkey, log out, sign in with it, renew, remove it (the browser forgets it), be refused with one removed elsewhere', () =>
      inPage(browser, `passkey ${mode}`, async (page) => {
        const person = await newPerson(api());
        const device = await authenticator(page, { autofill: false });
        await page.goto(`${app[mode].origin.replace('127.0.0.1', 'localhost')}/auth/login`);
        await logIn(page, person.email, person.password);
        await atPath(page, '/dashboard');
        await page.getByRole('heading', { name: 'Passkeys' }).waitFor();
        await page.getByText('You have no passkeys yet.').waitFor();

        await addPasskey(page, 'Work laptop', person.password);
        const [credential] = await device.credentials();
        assert.ok(credential?.isResidentCredential, 'a discoverable credential (a passkey)');

        await logOut(page);
        assert.deepEqual(await storedKeys(page), {});
        await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
        await atPath(page, '/dashboard');
        await page.getByText(person.email).waitFor();
        const stored = await storedKeys(page);
        assert.deepEqual(Object.keys(stored).sort(), [...STORED[mode]].sort(), 'the same session a password gives');
        await page.locator('.devices li', { hasText: 'Work laptop' }).getByText(/Last used /).waitFor();

        if (mode !== 'legacy') {
          // Renewal after a passkey sign-in works as after a password: a reload once the access
          // token has expired stays signed in with a new one.
          await sleep((LIFESPAN + 1) * 1000);
          await page.reload();
          await page.getByText(person.email).waitFor();
          const renewed = await storedKeys(page);
          assert.notEqual(renewed.accessToken, stored.accessToken, 'the access token was renewed');
          const me = await fetch(`${api()}/users/me`, { headers: { Authorization: `Bearer ${renewed.accessToken}` } });
          assert.equal(me.status, 200);
        }

        const entry = page.locator('.devices li', { hasText: 'Work laptop' });
        await entry.getByRole('button', { name: 'Remove' }).click();
        await confirmWith(page, person.password);
        await page.getByRole('status').filter({ hasText: 'Passkey “Work laptop” removed.' }).waitFor();
        await page.getByText('You have no passkeys yet.').waitFor();
        // The browser was told (WebAuthn's signal API) and no longer offers it.
        assert.deepEqual(await device.credentials(), [], 'the authenticator forgot it');

        // One removed elsewhere (another browser), still on this authenticator: Strapi no longer
        // takes it, and the browser is told to forget it.
        await addPasskey(page, 'Phone');
        await removeAtStrapi(api(), person, 'Phone');
        await logOut(page);
        await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
        const alert = page.getByRole('alert').filter({ hasText: 'This passkey is not accepted here' });
        await alert.waitFor();
        assert.equal(new URL(page.url()).pathname, '/auth/login');
        assert.deepEqual(await device.credentials(), [], 'told to forget the unknown one');
        assert.deepEqual(await storedKeys(page), {}, 'nothing stored');
      }));
  });
}

describe('the login page with passkeys on', () => {
  test('passkey autofill: the identifier field offers the passkey, and picking it signs in', () =>
    inPage(browser, 'passkey autofill', async (page) => {
      const person = await newPerson(strapi.refresh.api);
      await authenticator(page);
      const asked = [];
      page.on('request', (r) => r.url().includes('/passkeys/authentication/') && asked.push(`${r.method()} ${new URL(r.url()).pathname}`));
      await page.goto(`${local(APPS.refresh)}/auth/login`);
      assert.equal(await page.getByLabel('Email or username').getAttribute('autocomplete'), 'username webauthn');
      await logIn(page, person.email, person.password);
      await atPath(page, '/dashboard');
      await addPasskey(page, 'Laptop', person.password);
      asked.length = 0;
      const signedIn = page.waitForResponse((r) => r.url().endsWith('/passkeys/authentication/verify'));
      await page.getByRole('button', { name: 'Log out' }).click();
      // The login page starts a conditional request; the authenticator "picks" its passkey, and
      // the page goes on signed in, without a click.
      assert.equal((await signedIn).status(), 200);
      await atPath(page, '/dashboard');
      await page.getByText(person.email).waitFor();
      assert.equal(new URL(page.url()).pathname, '/dashboard');
      assert.deepEqual(asked, ['POST /api/passkeys/authentication/options', 'POST /api/passkeys/authentication/verify'], 'one conditional request, answered by the authenticator');
      assert.deepEqual(Object.keys(await storedKeys(page)).sort(), ['accessToken', 'refreshToken']);
    }));

  test('the passkey button and the passkeys section work by keyboard, and pass axe', () =>
    inPage(browser, 'passkey keyboard', async (page) => {
      const person = await newPerson(strapi.legacy.api);
      await authenticator(page, { autofill: false });
      const origin = local(APPS.legacy);
      await page.goto(`${origin}/auth/login`);
      await logIn(page, person.email, person.password);
      await atPath(page, '/dashboard');
      // Keyboard only: the name field, Enter; "Confirm it's you" takes the focus to its
      // password field: the password, Enter.
      await page.getByLabel('Passkey name').focus();
      await page.keyboard.type('Phone');
      await page.keyboard.press('Enter');
      await page.getByRole('group', { name: "Confirm it's you" }).waitFor();
      await page.waitForFunction(() => document.activeElement?.id === 'password');
      await page.keyboard.type(person.password);
      await page.keyboard.press('Enter');
      await page.getByRole('status').filter({ hasText: 'Passkey “Phone” added.' }).waitFor();
      assert.deepEqual(await axeViolations(page), []);
      await logOut(page);
      // The pointer left where "Log out" was may hover a button there: axe would judge its colours
      // halfway through the hover's transition.
      await page.mouse.move(0, 0);
      await page.waitForTimeout(300);
      assert.deepEqual(await axeViolations(page), []);
      // Tab from the password field: "Log in", the forgotten-password link, then the passkey button.
      await page.getByLabel('Password', { exact: true }).focus();
      const focused = async () => page.evaluate(() => document.activeElement?.textContent?.trim());
      let steps = 0;
      while ((await focused()) !== 'Sign in with a passkey' && steps++ < 8) await page.keyboard.press('Tab');
      assert.equal(await focused(), 'Sign in with a passkey');
      await page.keyboard.press('Enter');
      await atPath(page, '/dashboard');
      await page.getByText(person.email).waitFor();
    }));

  test('a refusal and a browser without passkeys are said clearly, and pass axe', () =>
    inPage(browser, 'passkey refusals', async (page) => {
      // No WebAuthn at all (an old browser, or one with it turned off).
      await page.addInitScript(() => {
        delete window.PublicKeyCredential;
      });
      await page.goto(`${local(APPS.legacy)}/auth/login`);
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await page.getByRole('alert').filter({ hasText: 'This browser cannot use passkeys' }).waitFor();
      assert.deepEqual(await axeViolations(page), []);
      await logIn(page, DEMO.email, DEMO.password);
      await atPath(page, '/dashboard');
      await page.getByText('This browser cannot create passkeys').waitFor();
      assert.equal(await page.getByLabel('Passkey name').count(), 0);
    }));

  test('without the meta tag, no passkey button, no passkey request, plain autofill', () =>
    inPage(browser, 'passkeys off', async (page) => {
      const plain = await serveApp({ port: 3194, strapiUrl: local(STRAPI.legacy) });
      try {
        const asked = [];
        page.on('request', (r) => r.url().includes('/passkeys/') && asked.push(r.url()));
        await page.goto(`${local(3194)}/auth/login`);
        await page.getByRole('button', { name: 'Log in' }).waitFor();
        await sleep(500);
        assert.equal(await page.getByRole('button', { name: 'Sign in with a passkey' }).count(), 0);
        assert.equal(await page.getByLabel('Email or username').getAttribute('autocomplete'), 'username');
        assert.deepEqual(asked, []);
      } finally {
        await plain.stop();
      }
    }));
});
