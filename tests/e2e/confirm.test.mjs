// "Confirm it's you" against real Strapi 5.54.0 servers running strapi-plugin-passkeys 0.2, in
// headless Chromium with a virtual authenticator, in each JWT mode: a session with no
// confirmation in memory (a reload) that adds or removes a passkey is asked to confirm; a wrong
// password changes nothing; the right one (or a passkey) lets the action go on by itself; by
// keyboard and under axe; after a reset from the mail, the dashboard's panel removes every passkey
// (and, in session mode, ends every other session) with the confirmation the reset brought; and an
// account made through a provider confirms with a new sign-in there.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  atPath,
  axeViolations,
  inPage,
  launchBrowser,
  linkIn,
  logIn,
  post,
  registerPerson,
  serveApp,
  startStrapi,
  storedKeys,
  virtualAuthenticator,
} from './harness.mjs';

const newPerson = (api) => registerPerson(api, 'cf');
// Without passkey autofill: these tests press the buttons.
const authenticator = (page) => virtualAuthenticator(page, { autofill: false });

const APPS = { legacy: 3241, refresh: 3242, cookie: 3243 };
const STRAPI = { legacy: 1561, refresh: 1562 };
const local = (port) => `http://localhost:${port}`;

let browser;
const strapi = {};
const app = {};

before(async () => {
  const origins = (...ports) => ports.map(local);
  [strapi.legacy, strapi.refresh] = await Promise.all([
    // On localhost for the provider's round trip too: its session cookie is that host's.
    startStrapi({
      port: STRAPI.legacy,
      origins: origins(APPS.legacy),
      passkeyOrigins: origins(APPS.legacy),
      publicUrl: local(STRAPI.legacy),
    }),
    startStrapi({
      port: STRAPI.refresh,
      mode: 'refresh',
      origins: origins(APPS.refresh, APPS.cookie),
      passkeyOrigins: origins(APPS.refresh, APPS.cookie),
    }),
  ]);
  const at = (name) => local(STRAPI[name]);
  const configure = ['--passkeys', 'on'];
  [app.legacy, app.refresh, app.cookie] = await Promise.all([
    serveApp({ port: APPS.legacy, strapiUrl: at('legacy'), providers: 'mock', configure }),
    serveApp({ port: APPS.refresh, strapiUrl: at('refresh'), configure }),
    serveApp({ port: APPS.cookie, strapiUrl: at('refresh'), refresh: 'cookie', configure }),
  ]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await Promise.all(Object.values(app).map((s) => s.stop()));
  await Promise.all(Object.values(strapi).map((s) => s.stop()));
});

/** The names of the person's passkeys as Strapi lists them, asked with the page's own token. */
async function passkeysAtStrapi(page, api) {
  const stored = await storedKeys(page);
  const r = await fetch(`${api}/passkeys`, { headers: { Authorization: `Bearer ${stored.token ?? stored.accessToken}` } });
  assert.equal(r.status, 200);
  return (await r.json()).map((p) => p.name);
}

const step = (page) => page.getByRole('group', { name: "Confirm it's you" });
/** Waits for the focus to reach the element `id`. */
const focusOn = (page, id) => page.waitForFunction((id) => document.activeElement?.id === id, id, { timeout: 5000 });

/** Confirms in the step with `password`. */
async function confirmWith(page, password) {
  await step(page).getByLabel('Password', { exact: true }).fill(password);
  await step(page).getByRole('button', { name: 'Confirm' }).click();
}

const MODES = {
  legacy: { api: () => strapi.legacy.api, origin: local(APPS.legacy) },
  refresh: { api: () => strapi.refresh.api, origin: local(APPS.refresh) },
  cookie: { api: () => strapi.refresh.api, origin: local(APPS.cookie) },
};

for (const [mode, { api, origin }] of Object.entries(MODES)) {
  describe(`${mode} mode`, () => {
    test('adding and removing a passkey after a reload asks to confirm; a wrong password changes nothing; the right one or a passkey lets it go on', () =>
      inPage(browser, `confirm ${mode}`, async (page) => {
        const person = await newPerson(api());
        const device = await authenticator(page);
        await page.goto(`${origin}/auth/login`);
        await logIn(page, person.email, person.password);
        await atPath(page, '/dashboard');
        // A session with nothing but its token: no confirmation survives a reload.
        await page.reload();
        await page.getByText('You have no passkeys yet.').waitFor();

        await page.getByLabel('Passkey name').fill('Laptop');
        await page.getByRole('button', { name: 'Add a passkey' }).click();
        await step(page).waitFor();
        await focusOn(page, 'password'); // into the step, on what to fill
        await confirmWith(page, 'not-my-password');
        await step(page).getByRole('alert').filter({ hasText: 'That password is not correct.' }).waitFor();
        assert.equal(await step(page).getByLabel('Password', { exact: true }).inputValue(), '', 'cleared');
        assert.deepEqual(await device.credentials(), [], 'no prompt, no passkey');
        assert.deepEqual(await passkeysAtStrapi(page, api()), []);

        // The right password: the prompt and the add follow without another press of "Add".
        await confirmWith(page, person.password);
        await page.getByRole('status').filter({ hasText: 'Passkey “Laptop” added.' }).waitFor();
        assert.equal(await step(page).count(), 0);
        assert.equal((await device.credentials()).length, 1);
        assert.deepEqual(await passkeysAtStrapi(page, api()), ['Laptop']);

        // Stale again; the removal is confirmed with the passkey itself.
        await page.reload();
        const entry = page.locator('.devices li', { hasText: 'Laptop' });
        await entry.getByRole('button', { name: 'Remove' }).click();
        await step(page).getByRole('button', { name: 'Use a passkey instead' }).click();
        await page.getByRole('status').filter({ hasText: 'Passkey “Laptop” removed.' }).waitFor();
        await page.getByText('You have no passkeys yet.').waitFor();
        assert.deepEqual(await passkeysAtStrapi(page, api()), []);

        // A new one: the confirmation is still good, so nothing is asked.
        await page.getByLabel('Passkey name').fill('Phone');
        await page.getByRole('button', { name: 'Add a passkey' }).click();
        await page.getByRole('status').filter({ hasText: 'Passkey “Phone” added.' }).waitFor();
        // And its removal after a reload: a wrong password keeps it, the right one removes it.
        await page.reload();
        await page.locator('.devices li', { hasText: 'Phone' }).getByRole('button', { name: 'Remove' }).click();
        await confirmWith(page, 'still-not-it');
        await step(page).getByRole('alert').filter({ hasText: 'That password is not correct.' }).waitFor();
        assert.deepEqual(await passkeysAtStrapi(page, api()), ['Phone']);
        await confirmWith(page, person.password);
        await page.getByRole('status').filter({ hasText: 'Passkey “Phone” removed.' }).waitFor();
        assert.deepEqual(await passkeysAtStrapi(page, api()), []);
        const stored = await storedKeys(page);
        assert.ok(!JSON.stringify(stored).includes('confirmation'));
        assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'nothing kept for the tab');
      }));

    test('after a reset from the mail, the panel removes every passkey (and ends every other session) with the reset’s confirmation', () =>
      inPage(browser, `after reset ${mode}`, async (page) => {
        const person = await newPerson(api());
        await authenticator(page);
        await page.goto(`${origin}/auth/login`);
        await logIn(page, person.email, person.password);
        await atPath(page, '/dashboard');
        await page.getByLabel('Passkey name').fill('Mine');
        await page.getByRole('button', { name: 'Add a passkey' }).click();
        await confirmWith(page, person.password);
        await page.getByRole('status').filter({ hasText: 'Passkey “Mine” added.' }).waitFor();

        const s = mode === 'legacy' ? strapi.legacy : strapi.refresh;
        assert.equal((await post(api(), '/auth/forgot-password', { email: person.email })).status, 200);
        const link = new URL(linkIn(await s.mailTo(person.email), 'code'));
        await page.goto(`${origin}/auth/reset-password${link.search}`);
        const newPassword = `New-${person.password}`;
        await page.getByLabel('New password', { exact: true }).fill(newPassword);
        await page.getByLabel('Confirm new password').fill(newPassword);
        await page.getByRole('button', { name: 'Set new password' }).click();
        await atPath(page, '/dashboard');
        const panel = page.getByRole('region', { name: 'You reset your password' });
        await panel.waitFor();
        await page.locator('.devices li', { hasText: 'Mine' }).waitFor();

        // Someone else signed in with the new password (session mode keeps a session for it).
        const other = await (await post(api(), '/auth/local', { identifier: person.email, password: newPassword })).json();
        const sessions = mode !== 'legacy';
        const button = sessions ? 'Remove all passkeys and sign out everywhere else' : 'Remove all passkeys';
        assert.equal(await panel.getByRole('button', { name: 'Remove all passkeys and sign out everywhere else' }).count(), sessions ? 1 : 0);
        await panel.getByRole('button', { name: button }).click();
        const said = sessions
          ? 'Your passkey was removed. You are signed out everywhere else.'
          : 'Your passkey was removed.';
        await panel.getByRole('status').filter({ hasText: said }).waitFor();
        assert.equal(await step(page).count(), 0, 'the reset’s confirmation served');
        await page.getByText('You have no passkeys yet.').waitFor();
        assert.deepEqual(await passkeysAtStrapi(page, api()), []);
        assert.deepEqual(await axeViolations(page), []);
        if (sessions) {
          const refused = await post(api(), '/auth/refresh', { refreshToken: other.refreshToken });
          assert.equal(refused.status, 401, 'the other session ended');
        }
        // This browser stays signed in, and the panel is said once.
        await page.reload();
        await page.getByText(person.email).waitFor();
        assert.equal(await page.getByRole('region', { name: 'You reset your password' }).count(), 0);
      }));
  });
}

describe('the confirm step', () => {
  test('by keyboard alone, under axe: Escape gives the focus back, Enter confirms, and the add goes on', () =>
    inPage(browser, 'confirm keyboard', async (page) => {
      const person = await newPerson(strapi.legacy.api);
      await authenticator(page);
      await page.goto(`${local(APPS.legacy)}/auth/login`);
      await logIn(page, person.email, person.password);
      await atPath(page, '/dashboard');
      await page.getByLabel('Passkey name').focus();
      await page.keyboard.type('Keyboard');
      await page.keyboard.press('Enter');
      await step(page).waitFor();
      await focusOn(page, 'password');
      assert.deepEqual(await axeViolations(page), []);
      await page.keyboard.press('Escape');
      await step(page).waitFor({ state: 'detached' });
      await focusOn(page, 'passkey-add'); // back on the button that asked
      assert.equal(await page.getByLabel('Passkey name').inputValue(), 'Keyboard');

      await page.keyboard.press('Enter');
      await step(page).waitFor();
      await focusOn(page, 'password');
      await page.keyboard.type('wrong-password');
      await page.keyboard.press('Enter');
      await step(page).getByRole('alert').waitFor();
      await focusOn(page, 'password'); // on what to fix
      assert.deepEqual(await axeViolations(page), [], 'with its alert');
      await page.keyboard.type(person.password);
      await page.keyboard.press('Enter');
      await page.getByRole('status').filter({ hasText: 'Passkey “Keyboard” added.' }).waitFor();
      await focusOn(page, 'passkeys-said'); // on the news
    }));

  test('an account made through a provider confirms with a new sign-in there, and the add goes on when it returns', () =>
    inPage(browser, 'confirm provider', async (page) => {
      const username = `cfmock${Date.now() % 1000000}`;
      const who = { username, email: `${username}@example.com` };
      const device = await authenticator(page);
      await strapi.legacy.nextProviderLogin(who);
      await page.goto(`${local(APPS.legacy)}/auth/login`);
      await page.getByRole('link', { name: 'Continue with mock' }).click();
      await atPath(page, '/dashboard');
      await page.getByText(who.email).waitFor();
      // The provider's sign-in brought a confirmation: gone with a reload.
      await page.reload();
      await page.getByText('You have no passkeys yet.').waitFor();
      await page.getByLabel('Passkey name').fill('Via mock');
      await page.getByRole('button', { name: 'Add a passkey' }).click();
      const again = step(page).getByRole('link', { name: 'Continue with mock' });
      await again.waitFor();
      assert.equal(await step(page).getByLabel('Password', { exact: true }).count(), 0, 'no password to confirm with');
      assert.deepEqual(await axeViolations(page), []);
      await strapi.legacy.nextProviderLogin(who);
      await again.click();
      await atPath(page, '/dashboard');
      await page.getByRole('status').filter({ hasText: 'Passkey “Via mock” added.' }).waitFor();
      assert.equal((await device.credentials()).length, 1);
      assert.deepEqual(await passkeysAtStrapi(page, strapi.legacy.api), ['Via mock']);
      assert.equal(await page.evaluate(() => sessionStorage.getItem('strapi-login:confirming')), null);
    }));
});
