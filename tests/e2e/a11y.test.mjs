// Accessibility of the release build against a real Strapi: axe-core finds nothing on the login
// page, its error state and the dashboard; a keyboard alone can log in; focus goes to the error;
// focus is visible; the page works at 320 px and at 200 % zoom without sideways scrolling.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  DEMO,
  alertText,
  atPath,
  axeViolations,
  inPage,
  launchBrowser,
  linkIn,
  logIn,
  serveApp,
  sidewaysOverflow,
  startStrapi,
} from './harness.mjs';

const PORT = 3141;

let browser;
let strapi;
let app;

before(async () => {
  strapi = await startStrapi({ port: 1441, origins: [`http://127.0.0.1:${PORT}`] });
  app = await serveApp({ port: PORT, strapiUrl: strapi.url });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.stop();
  await strapi?.stop();
});


describe('axe-core finds no violations', () => {
  test('on the login page, its error state and the dashboard', () =>
    inPage(browser, 'axe', async (page) => {
      await page.goto(`${app.origin}/auth/login`);
      await page.getByLabel('Password').waitFor();
      assert.deepEqual(await axeViolations(page), [], 'login page');

      await logIn(page, DEMO.email, 'wrong');
      await alertText(page);
      assert.deepEqual(await axeViolations(page), [], 'login error state');

      await page.getByRole('button', { name: 'Log in' }).click(); // empty password: field errors
      await page.locator('[aria-invalid=true]').first().waitFor();
      assert.deepEqual(await axeViolations(page), [], 'field errors');

      await logIn(page, DEMO.email, DEMO.password);
      await page.getByText(DEMO.email).waitFor();
      assert.deepEqual(await axeViolations(page), [], 'dashboard');
    }));
});

describe('keyboard and focus', () => {
  test('a keyboard alone logs in: Tab, type, Tab, type, Enter', () =>
    inPage(browser, 'keyboard login', async (page) => {
      await page.goto(`${app.origin}/auth/login`);
      await page.getByLabel('Password').waitFor();
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'identifier');
      await page.keyboard.type(DEMO.email);
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'password');
      await page.keyboard.type(DEMO.password);
      await page.keyboard.press('Enter');
      await atPath(page, '/dashboard');
      await page.getByText(DEMO.email).waitFor();
    }));

  test('after a failure focus moves to the error, and focus is always visible', () =>
    inPage(browser, 'focus', async (page) => {
      await page.goto(`${app.origin}/auth/login`);
      await page.getByLabel('Password').waitFor();
      await page.keyboard.press('Tab');
      const outline = () => page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert.notEqual(await outline(), 'none', 'the focused field shows it');
      await page.keyboard.type(DEMO.email);
      await page.keyboard.press('Tab');
      await page.keyboard.type('wrong');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Show password');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Log in');
      assert.notEqual(await outline(), 'none', 'the focused button shows it');
      await page.keyboard.press('Enter');
      await alertText(page);
      await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'alert');

      await page.keyboard.press('Shift+Tab'); // nothing is trapped: focus moves on from the alert
      assert.notEqual(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'alert');
    }));
});

describe('small screens and zoom', () => {
  for (const [name, viewport] of [
    ['320 px wide', { width: 320, height: 640 }],
    ['200 % zoom of a 1280 px window', { width: 640, height: 400 }],
  ]) {
    test(`at ${name} nothing scrolls sideways and everything is reachable`, () =>
      inPage(browser, `viewport ${viewport.width}`, async (page) => {
        await page.setViewportSize(viewport);
        await page.goto(`${app.origin}/auth/login`);
        await logIn(page, DEMO.email, 'wrong');
        await alertText(page);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `scrolls sideways by ${overflow} px`);
        for (const box of [
          await page.getByLabel('Email or username').boundingBox(),
          await page.getByRole('button', { name: 'Log in' }).boundingBox(),
          await page.getByRole('alert').boundingBox(),
        ]) {
          assert.ok(box.x >= 0 && box.x + box.width <= viewport.width, JSON.stringify(box));
        }
      }));
  }
});

describe('the account pages', () => {
  /** Each page in its states: what it looks like first, after an empty submit, after Strapi answered. */
  const states = [
    ['/auth/register', async (page) => {
      await page.getByRole('button', { name: /create account/i }).click();
      await page.locator('[aria-invalid=true]').first().waitFor();
    }, async (page) => {
      await page.getByLabel('Username').fill('someone');
      await page.getByLabel('Email').fill(DEMO.email);
      await page.getByLabel(/^Password/).fill('Passw0rd!');
      await page.getByRole('button', { name: /create account/i }).click();
      await alertText(page);
    }],
    ['/auth/forgot-password', async (page) => {
      await page.getByRole('button', { name: /send reset link/i }).click();
      await page.locator('[aria-invalid=true]').first().waitFor();
    }, async (page) => {
      await page.getByLabel('Email').fill('someone@example.com');
      await page.getByRole('button', { name: /send reset link/i }).click();
      await page.getByRole('status').waitFor();
    }],
    ['/auth/reset-password?code=made-up', async (page) => {
      await page.getByRole('button', { name: /set new password/i }).click();
      await page.locator('[aria-invalid=true]').first().waitFor();
    }, async (page) => {
      await page.getByLabel(/^new password/i).fill('Passw0rd!');
      await page.getByLabel(/confirm/i).fill('Passw0rd!');
      await page.getByRole('button', { name: /set new password/i }).click();
      await alertText(page);
    }],
    ['/auth/reset-password', async () => {}, async () => {}],
    ['/auth/email-confirmed', async (page) => {
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.locator('[aria-invalid=true]').first().waitFor();
    }, async () => {}],
  ];

  for (const [path, checked, answered] of states) {
    test(`${path}: axe finds nothing in any state, and it fits 320 px`, () =>
      inPage(browser, `axe ${path}`, async (page) => {
        await page.setViewportSize({ width: 320, height: 640 });
        await page.goto(`${app.origin}${path}`);
        await page.getByRole('heading').waitFor();
        assert.deepEqual(await axeViolations(page), [], 'as it opens');
        await checked(page);
        assert.deepEqual(await axeViolations(page), [], 'after the checks');
        await answered(page);
        assert.deepEqual(await axeViolations(page), [], 'after Strapi answered');
        assert.ok((await sidewaysOverflow(page)) <= 0, 'no sideways scrolling at 320 px');
      }));
  }

  test('a keyboard alone signs up, and shows and hides a password', () =>
    inPage(browser, 'keyboard sign up', async (page) => {
      await page.goto(`${app.origin}/auth/register`);
      await page.getByLabel('Username').waitFor();
      await page.keyboard.press('Tab');
      await page.keyboard.type('keyboard-user');
      await page.keyboard.press('Tab');
      await page.keyboard.type('keyboard-user@example.com');
      await page.keyboard.press('Tab');
      await page.keyboard.type('Passw0rd!');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Show password');
      await page.keyboard.press('Space');
      assert.equal(await page.getByLabel(/^Password/).getAttribute('type'), 'text');
      assert.equal(await page.getByRole('button', { name: /show password/i }).getAttribute('aria-pressed'), 'true');
      assert.equal(await page.getByLabel(/^Password/).inputValue(), 'Passw0rd!');
      await page.keyboard.press('Space');
      assert.equal(await page.getByLabel(/^Password/).getAttribute('type'), 'password');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await atPath(page, '/dashboard');
      await page.getByText('keyboard-user@example.com').waitFor();
    }));

  test('a keyboard alone asks for a reset link and chooses a new password', () =>
    inPage(browser, 'keyboard reset', async (page) => {
      await page.goto(`${app.origin}/auth/forgot-password`);
      await page.getByLabel('Email').waitFor();
      await page.keyboard.press('Tab');
      await page.keyboard.type(DEMO.email);
      await page.keyboard.press('Enter');
      await page.getByRole('status').waitFor();
      await page.goto(linkIn(await strapi.mailTo(DEMO.email), 'code'));
      await page.getByLabel(/^new password/i).waitFor();
      await page.keyboard.press('Tab');
      await page.keyboard.type(DEMO.password);
      await page.keyboard.press('Tab'); // the toggle
      await page.keyboard.press('Tab');
      await page.keyboard.type(DEMO.password);
      await page.keyboard.press('Enter');
      await atPath(page, '/dashboard');
    }));
});
