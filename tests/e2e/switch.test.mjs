// A language switch changes the texts and nothing else, on every page, in the release build
// against a real Strapi 5.54.0: what was typed, the elements themselves (so the focus and the
// caret), an alert's meaning, the reset code of a real mail, the provider return's result and the
// sessions list stay, and no request reaches Strapi a second time.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { DEMO, alertText, atPath, inPage, linkIn, logIn, post, startStack, storedKeys } from './harness.mjs';

let stack;

before(async () => {
  stack = await startStack({
    legacy: { app: 3251, strapi: { port: 1541 }, serve: { providers: 'mock' } },
    refresh: { app: 3252, strapi: { port: 1542, mode: 'refresh' } },
  });
});

after(() => stack?.stop());

let people = 0;
function newPerson() {
  people += 1;
  const username = `switch${people}${Date.now() % 100000}`;
  return { username, email: `${username}@example.com`, password: 'First-Passw0rd' };
}

/** Every request the page sends to `api` (Strapi), as "METHOD /route". */
function strapiRequests(page, api) {
  const seen = [];
  page.on('request', (request) => {
    if (request.url().startsWith(api)) seen.push(`${request.method()} ${request.url().slice(api.length).split('?')[0]}`);
  });
  return seen;
}

/**
 * Marks the elements `selectors` name, switches the picker to `code` as a person does (it has the
 * focus while they choose) and waits for the page to be in that language; then checks each marked
 * element is still the same node (not rebuilt) and the focus still on the picker.
 */
async function switchLanguage(page, code, selectors = []) {
  await page.evaluate((selectors) => {
    for (const selector of selectors) {
      const el = document.querySelector(selector);
      if (!el) throw new Error(`nothing matches ${selector}`);
      el.dataset.kept = selector;
    }
    document.getElementById('language').dataset.kept = '#language';
  }, selectors);
  await page.locator('#language').focus();
  await page.locator('#language').selectOption(code);
  await page.waitForFunction((code) => document.documentElement.lang === code, code);
  const rebuilt = await page.evaluate(
    (selectors) => [...selectors, '#language'].filter((s) => document.querySelector(s)?.dataset.kept !== s),
    selectors,
  );
  assert.deepEqual(rebuilt, [], 'elements were rebuilt by the switch');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'language', 'the focus stays on the picker');
}

describe('a language switch changes the texts and nothing else', () => {
  test('login: the typed text, the alert (now in German) and the elements stay; nothing is sent again', () =>
    inPage(stack.browser, 'switch login', async (page) => {
      const sent = strapiRequests(page, stack.strapi.legacy.api);
      await page.goto(`${stack.app.legacy.origin}/auth/login`);
      await logIn(page, DEMO.email, 'not the password');
      assert.equal(await alertText(page), 'Invalid identifier or password');
      assert.deepEqual(sent, ['POST /auth/local']);
      await switchLanguage(page, 'de', ['#identifier', '#password', '[role=alert]', 'form']);
      assert.equal(await alertText(page), 'E-Mail/Benutzername oder Passwort ist falsch');
      assert.equal(await page.getByLabel('E-Mail oder Benutzername').inputValue(), DEMO.email);
      assert.equal(await page.title(), 'Anmelden');
      assert.deepEqual(sent, ['POST /auth/local'], 'nothing sent again');
      // And the German form logs in.
      await page.getByLabel('Passwort', { exact: true }).fill(DEMO.password);
      await page.getByRole('button', { name: 'Anmelden' }).click();
      await atPath(page, '/dashboard');
    }));

  test('sign-up: what was typed and the checks\' messages stay, re-worded', () =>
    inPage(stack.browser, 'switch register', async (page) => {
      await page.goto(`${stack.app.legacy.origin}/auth/register`);
      await page.getByLabel('Username').fill('ann');
      await page.getByLabel('Email').fill('not-an-address');
      await page.getByRole('button', { name: 'Create account' }).click();
      assert.match(await alertText(page), /Enter an email address like name@example\.com/);
      await page.getByLabel('Password', { exact: true }).fill('secret-1');
      await switchLanguage(page, 'fr', ['#username', '#email', '#password', '[role=alert]']);
      assert.match(await alertText(page), /Saisissez une adresse e-mail/);
      assert.equal(await page.getByLabel('Nom d’utilisateur').inputValue(), 'ann');
      assert.equal(await page.getByLabel('E-mail').inputValue(), 'not-an-address');
      assert.equal(await page.getByLabel('Mot de passe', { exact: true }).inputValue(), 'secret-1');
    }));

  test('forgotten password: the sent notice stays, re-worded, and the mail is not asked for twice', () =>
    inPage(stack.browser, 'switch forgot', async (page) => {
      const sent = strapiRequests(page, stack.strapi.legacy.api);
      await page.goto(`${stack.app.legacy.origin}/auth/forgot-password`);
      await page.getByLabel('Email').fill('nobody@example.com');
      await page.getByRole('button', { name: 'Send reset link' }).click();
      await page.getByRole('status').filter({ hasText: 'nobody@example.com' }).waitFor();
      await switchLanguage(page, 'de', ['[role=status]', '#email']);
      await page.getByRole('status').filter({ hasText: /Falls ein Konto nobody@example\.com verwendet/ }).waitFor();
      assert.deepEqual(sent, ['POST /auth/forgot-password']);
    }));

  test('reset password with a real mail\'s code: a switch keeps the code and the form, then the reset succeeds', () =>
    inPage(stack.browser, 'switch reset', async (page) => {
      const person = newPerson();
      await post(stack.strapi.legacy.api, '/auth/local/register', person);
      await post(stack.strapi.legacy.api, '/auth/forgot-password', { email: person.email });
      const link = linkIn(await stack.strapi.legacy.mailTo(person.email), 'code');
      const sent = strapiRequests(page, stack.strapi.legacy.api);
      await page.goto(link);
      await page.getByLabel(/^new password/i).fill('Second-Passw0rd');
      await page.getByLabel(/confirm/i).fill('Second-Passw0rd');
      assert.equal(new URL(page.url()).search, '', 'the code left the address bar');
      await switchLanguage(page, 'de', ['#password', '#passwordConfirmation', 'form']);
      await page.getByRole('heading', { name: 'Neues Passwort wählen' }).waitFor();
      assert.equal(await page.getByLabel('Neues Passwort bestätigen').inputValue(), 'Second-Passw0rd');
      assert.deepEqual(sent, []);
      await page.getByRole('button', { name: 'Neues Passwort festlegen' }).click();
      await atPath(page, '/dashboard');
      await page.getByRole('heading', { name: 'Übersicht' }).waitFor();
      assert.deepEqual(sent.slice(0, 1), ['POST /auth/reset-password']);
      const login = await post(stack.strapi.legacy.api, '/auth/local', { identifier: person.email, password: 'Second-Passw0rd' });
      assert.equal(login.status, 200, 'the new password works');
    }));

  test('provider return: the result stays, re-worded, and the callback is sent once', () =>
    inPage(stack.browser, 'switch provider', async (page) => {
      const sent = strapiRequests(page, stack.strapi.legacy.api);
      // Opened without a provider login to finish: Strapi refuses the callback.
      await page.goto(`${stack.app.legacy.origin}/connect/mock/redirect`);
      assert.match(await alertText(page), /There is no login with mock to finish here/);
      await switchLanguage(page, 'de', ['[role=alert]']);
      assert.match(await alertText(page), /Hier gibt es keine Anmeldung mit mock abzuschließen/);
      assert.deepEqual(sent, ['GET /auth/mock/callback']);
      assert.deepEqual(await storedKeys(page), {});
    }));

  test('dashboard and sessions list, change password: nothing reloaded, dates in the new language', () =>
    inPage(stack.browser, 'switch dashboard', async (page) => {
      const sent = strapiRequests(page, stack.strapi.refresh.api);
      await page.goto(`${stack.app.refresh.origin}/auth/login`);
      await logIn(page, DEMO.email, DEMO.password);
      await atPath(page, '/dashboard');
      const when = page.locator('.device__when').first();
      await when.waitFor();
      const english = await when.innerText();
      assert.match(english, /^Signed in /);
      const before = [...sent];
      await switchLanguage(page, 'fr', ['.devices', '.device__when']);
      await page.getByRole('heading', { name: 'Où vous êtes connecté' }).waitFor();
      const french = await when.innerText();
      assert.notEqual(french, english);
      assert.doesNotMatch(french, /UTC|Signed in/, french);
      assert.deepEqual(sent, before, 'nothing asked of Strapi again');

      await page.getByRole('link', { name: 'Changer le mot de passe' }).click();
      await atPath(page, '/account/password');
      await page.getByLabel('Mot de passe actuel').fill('typed before the switch');
      await switchLanguage(page, 'en', ['#currentPassword']);
      assert.equal(await page.getByLabel('Current password').inputValue(), 'typed before the switch');
    }));
});
