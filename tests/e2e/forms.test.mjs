// Forms that password managers understand: Chromium's own judgement of every page and state, in
// English and in German, against a real Strapi. Chromium logs "[DOM] …" hints about forms (a
// password form without a username field, an input without the autocomplete it should have) and
// reports DevTools issues (duplicate ids, labels that label nothing, autocomplete values it does
// not know); any of them fails the test. And what a password manager is given: the username
// beside every new password, Strapi's password rule, and a successful change ending in a
// navigation with the form gone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { DEMO, atPath, axeViolations, inContext, logIn, post, startStack } from './harness.mjs';

let stack;
let browser;
let strapi;
let app;

before(async () => {
  stack = await startStack({ forms: { app: 3221, strapi: { port: 1511 } } });
  ({ browser } = stack);
  [strapi, app] = [stack.strapi.forms, stack.app.forms];
});

after(() => stack?.stop());

/**
 * Runs `body(page, visit)` with every form hint and form issue Chromium reports collected;
 * `visit(state, action)` runs one state and files what was reported during it (and in the moment
 * after, as Chromium judges forms a little after they change) under that state's name.
 */
async function judgedByChromium(locale, body) {
  const reports = [];
  await inContext(
    browser,
    `form hints ${locale}`,
    async (context) => {
      const page = await context.newPage();
      let state = 'start';
      page.on('console', (m) => m.text().startsWith('[DOM]') && reports.push(`${state}: ${m.text()}`));
      const devtools = await context.newCDPSession(page);
      devtools.on('Audits.issueAdded', ({ issue }) => {
        const details = issue.details.genericIssueDetails;
        if (issue.code === 'GenericIssue' && /^Form/.test(details?.errorType ?? '')) {
          reports.push(`${state}: ${details.errorType} (${details.violatingNodeAttribute ?? ''})`);
        }
      });
      await devtools.send('Audits.enable');
      const visit = async (name, action) => {
        state = name;
        await action();
        await page.waitForTimeout(400);
      };
      await body(page, visit);
    },
    { locale },
  );
  return reports;
}

for (const locale of ['en-US', 'de-DE']) {
  const german = locale === 'de-DE';
  const label = (en, de) => (german ? de : en);

  describe(`Chromium finds nothing to say about the forms (${locale})`, () => {
    test('every page and state, logged out and logged in', async () => {
      const person = { username: `pm${Date.now()}${german ? 'de' : 'en'}`, password: 'Pm-Passw0rd!' };
      person.email = `${person.username}@example.com`;
      const registered = await post(strapi.api, '/auth/local/register', person);
      assert.equal(registered.status, 200);

      const reports = await judgedByChromium(locale, async (page, visit) => {
        const submit = (name) => page.getByRole('button', { name }).click();
        const go = async (path) => {
          await page.goto(`${app.origin}${path}`);
          await page.locator('h1').waitFor();
        };
        const loginButton = label('Log in', 'Anmelden');

        await visit('login', () => go('/auth/login'));
        await visit('login, empty fields', () => submit(loginButton));
        await visit('login, refused', async () => {
          await page.getByLabel(label('Email or username', 'E-Mail oder Benutzername')).fill(DEMO.email);
          await page.getByLabel(label('Password', 'Passwort'), { exact: true }).fill('wrong-password');
          await submit(loginButton);
          await page.getByRole('alert').waitFor();
        });
        await visit('sign-up', () => go('/auth/register'));
        await visit('sign-up, checks', () => submit(label('Create account', 'Konto erstellen')));
        await visit('forgot password', () => go('/auth/forgot-password'));
        await visit('forgot password, sent', async () => {
          await page.getByRole('textbox').fill('nobody@example.com');
          await page.getByRole('button', { name: label('Send reset link', 'Link senden') }).click();
          await page.getByRole('status').waitFor();
        });
        await visit('reset', () => go('/auth/reset-password?code=not-a-real-code'));
        await visit('reset, refused code', async () => {
          await page.getByLabel(label('New password', 'Neues Passwort'), { exact: true }).fill('Fresh-Passw0rd!');
          await page.getByLabel(label('Confirm new password', 'Neues Passwort bestätigen')).fill('Fresh-Passw0rd!');
          await page.locator('form button[type=submit]').click();
          await page.getByRole('alert').waitFor();
        });
        await visit('reset without code', () => go('/auth/reset-password'));
        await visit('email confirmed', () => go('/auth/email-confirmed'));
        await visit('not found', () => go('/no-such-page'));

        await visit('dashboard', async () => {
          await go('/auth/login');
          await page.getByLabel(label('Email or username', 'E-Mail oder Benutzername')).fill(person.email);
          await page.getByLabel(label('Password', 'Passwort'), { exact: true }).fill(person.password);
          await submit(loginButton);
          await atPath(page, '/dashboard');
          await page.getByText(person.email).waitFor();
        });
        await visit('change password', async () => {
          await page.getByRole('link', { name: label('Change password', 'Passwort ändern') }).click();
          await page.getByLabel(label('Current password', 'Aktuelles Passwort')).waitFor();
        });
        await visit('change password, wrong current', async () => {
          await page.getByLabel(label('Current password', 'Aktuelles Passwort')).fill('not-my-password');
          await page.getByLabel(label('New password', 'Neues Passwort'), { exact: true }).fill('Next-Passw0rd!');
          await page.getByLabel(label('Confirm new password', 'Neues Passwort bestätigen')).fill('Next-Passw0rd!');
          await page.locator('form button[type=submit]').click();
          await page.getByRole('alert').waitFor();
        });
      });
      assert.deepEqual(reports, [], `Chromium's form hints and issues:\n${reports.join('\n')}`);
    });
  });
}

describe('what a password manager is given', () => {
  test('new passwords carry Strapi’s rule; the reset and change forms name the account', () =>
    inContext(browser, 'password manager fields', async (context) => {
      const page = await context.newPage();
      await page.goto(`${app.origin}/auth/register`);
      const newPassword = page.locator('input[autocomplete="new-password"]');
      await newPassword.first().waitFor();
      for (const input of await newPassword.all()) {
        assert.equal(await input.getAttribute('minlength'), '6');
        assert.equal(await input.getAttribute('passwordrules'), 'minlength: 6; maxlength: 72;');
      }
      const current = page.locator('input[autocomplete="current-password"]');
      await page.goto(`${app.origin}/auth/login`);
      await current.waitFor();
      assert.equal(await current.getAttribute('minlength'), null, 'a current password is not judged');

      await page.goto(`${app.origin}/auth/reset-password?code=x`);
      const username = page.locator('form input[autocomplete="username"]');
      await username.waitFor({ state: 'attached' });
      assert.equal(await username.isHidden(), true);

      await page.goto(`${app.origin}/auth/login`);
      await logIn(page, DEMO.email, DEMO.password);
      await atPath(page, '/dashboard');
      await page.getByRole('link', { name: 'Change password' }).click();
      await page.getByLabel('Current password').waitFor();
      await page.waitForFunction(() => document.querySelector('form input[autocomplete="username"]')?.value);
      assert.equal(await username.inputValue(), DEMO.email);
      assert.equal(await username.isHidden(), true);
    }));

  test('a successful change takes the form away and navigates, as a password manager expects', () =>
    inContext(browser, 'change ends in a navigation', async (context) => {
      const person = { username: `pmnav${Date.now()}`, password: 'Pm-Passw0rd!' };
      person.email = `${person.username}@example.com`;
      assert.equal((await post(strapi.api, '/auth/local/register', person)).status, 200);
      const page = await context.newPage();
      await page.goto(`${app.origin}/auth/login`);
      await logIn(page, person.email, person.password);
      await atPath(page, '/dashboard');
      await page.getByRole('link', { name: 'Change password' }).click();
      await page.getByLabel('Current password').fill(person.password);
      await page.getByLabel('New password', { exact: true }).fill('Next-Passw0rd!');
      await page.getByLabel('Confirm new password').fill('Next-Passw0rd!');
      const entries = await page.evaluate(() => {
        window.navigated = 0;
        const replace = history.replaceState.bind(history);
        history.replaceState = (...args) => {
          window.navigated += 1;
          return replace(...args);
        };
        return history.length;
      });
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByRole('status').filter({ hasText: /changed/i }).waitFor();
      await page.waitForFunction(() => window.navigated > 0);
      assert.equal(await page.locator('form').count(), 0, 'the form is gone');
      assert.equal(new URL(page.url()).pathname, '/account/password');
      assert.equal(await page.evaluate(() => history.length), entries, 'no entry added to the history');
      // The news has the focus (the button that had it went with the form); a Tab reaches the
      // way back; axe finds nothing.
      assert.equal(await page.evaluate(() => document.activeElement.getAttribute('role')), 'status');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Back to the dashboard');
      assert.deepEqual(await axeViolations(page), []);
    }));
});
