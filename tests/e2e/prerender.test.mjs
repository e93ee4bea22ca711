// The pre-rendered login page (scripts/prerender.mjs): the form is in the HTML of /auth/login and
// paints before any JavaScript or WebAssembly has arrived; what the person does before the app has
// started (typing, moving the caret, Enter, a click) survives the app's takeover, and nothing is
// ever submitted natively. The wasm is held back by the test until it says so.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { DEMO, atPath, inPage, storedKeys, startStack } from './harness.mjs';

let stack;

before(async () => {
  stack = await startStack({
    legacy: { app: 3201, strapi: { port: 1491 } },
    closed: { app: 3202, strapi: { port: 1492, register: false }, serve: { register: 'off' } },
  });
});

after(() => stack?.stop());

/**
 * Opens `path` with the app's wasm held back: `release()` lets it through, `ready()` does and waits
 * until the app's login form is live.
 */
async function openWithoutWasm(page, path, origin = stack.app.legacy.origin) {
  let release;
  const released = new Promise((resolve) => (release = resolve));
  await page.route('**/*.wasm', async (route) => {
    await released;
    await route.continue();
  });
  await page.goto(`${origin}${path}`, { waitUntil: 'domcontentloaded' });
  return {
    release,
    ready: async () => {
      release();
      await page.waitForFunction(() => performance.getEntriesByName('login-ready').length > 0);
    },
  };
}

/** Requests that could carry the password somewhere other than Strapi's login. */
function watchLeaks(page) {
  const leaks = [];
  page.on('request', (request) => {
    const url = request.url();
    const toStrapiLogin = request.method() === 'POST' && url.endsWith('/auth/local');
    if (!toStrapiLogin && (request.method() === 'POST' || url.includes('password'))) leaks.push(`${request.method()} ${url}`);
  });
  return leaks;
}

describe('the pre-rendered login page', () => {
  test('shows the whole form before the app has started, and only /auth/login has it', () =>
    inPage(browser(), 'prerendered paint', async (page) => {
      await openWithoutWasm(page, '/auth/login');
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      assert.ok(await page.getByLabel('Email or username').isVisible());
      assert.ok(await page.getByLabel('Password').isVisible());
      assert.ok(await page.getByRole('button', { name: 'Log in' }).isVisible());
      assert.ok(await page.getByRole('link', { name: 'Create an account' }).isVisible());
      assert.equal(await page.evaluate(() => performance.getEntriesByName('login-ready').length), 0);
      for (const path of ['/dashboard', '/auth/register', '/account/password', '/no/such/page']) {
        const html = await (await fetch(`${stack.app.legacy.origin}${path}`)).text();
        assert.ok(!html.includes('prerendered'), `${path} must not carry the login form`);
      }
    }));

  test('keeps what was typed, the focus and the caret when the app takes over', () =>
    inPage(browser(), 'prerendered typing', async (page) => {
      const wasm = await openWithoutWasm(page, '/auth/login');
      await page.getByLabel('Password').fill('not the password');
      await page.getByLabel('Email or username').fill('someone@example.com');
      // The caret after "some".
      await page.keyboard.press('Home');
      for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
      await wasm.ready();
      assert.equal(await page.locator('#prerendered').count(), 0);
      assert.equal(await page.locator('form').count(), 1);
      assert.equal(await page.getByLabel('Email or username').inputValue(), 'someone@example.com');
      assert.equal(await page.getByLabel('Password').inputValue(), 'not the password');
      const caret = await page.evaluate(() => [document.activeElement.id, document.activeElement.selectionStart, document.activeElement.selectionEnd]);
      assert.deepEqual(caret, ['identifier', 4, 4]);
      // The app's state follows the inputs: typing on goes on from there.
      await page.keyboard.type('-');
      assert.equal(await page.getByLabel('Email or username').inputValue(), 'some-one@example.com');
    }));

  test('Enter before the app has started sends nothing natively, waits, and logs in once the app is ready', () =>
    inPage(browser(), 'prerendered enter', async (page) => {
      const leaks = watchLeaks(page);
      const logins = [];
      page.on('request', (r) => r.url().endsWith('/auth/local') && logins.push(r.url()));
      const wasm = await openWithoutWasm(page, '/auth/login');
      await page.getByLabel('Email or username').fill(DEMO.email);
      await page.getByLabel('Password').fill(DEMO.password);
      await page.getByLabel('Password').press('Enter');
      await page.getByRole('button', { name: 'Logging in…' }).click();
      // The button shows the login is waiting; the page stayed where it was, with no query.
      assert.equal(await page.locator('[data-submit]').getAttribute('aria-busy'), 'true');
      assert.equal(page.url(), `${stack.app.legacy.origin}/auth/login`);
      assert.deepEqual(logins, []);
      await wasm.ready();
      await atPath(page, '/dashboard');
      await page.getByText(DEMO.email).waitFor();
      assert.deepEqual(Object.keys(await storedKeys(page)), ['token']);
      assert.equal(logins.length, 1, 'Enter and a click before the app was ready: one login');
      assert.deepEqual(leaks, []);
    }));

  test('an empty form submitted early gets the usual checks, not a request', () =>
    inPage(browser(), 'prerendered empty enter', async (page) => {
      const leaks = watchLeaks(page);
      const wasm = await openWithoutWasm(page, '/auth/login');
      await page.getByLabel('Email or username').press('Enter');
      await wasm.ready();
      await page.getByRole('alert').waitFor();
      assert.match(await page.getByRole('alert').textContent(), /Enter your email or username/);
      assert.deepEqual(leaks, []);
    }));

  test('with sign-up closed by deploy/configure.sh, the pre-rendered page offers no sign-up either', () =>
    inPage(browser(), 'prerendered register off', async (page) => {
      const html = await (await fetch(`${stack.app.closed.origin}/auth/login`)).text();
      assert.ok(html.includes('id="prerendered"'));
      assert.ok(!html.includes('/auth/register'), 'the link to sign-up is gone from the HTML');
      const wasm = await openWithoutWasm(page, '/auth/login', stack.app.closed.origin);
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      await wasm.ready();
      assert.equal(await page.getByRole('link', { name: 'Create an account' }).count(), 0);
    }));

  test('someone already logged in who opens /auth/login is sent on to the dashboard', () =>
    inPage(browser(), 'prerendered logged in', async (page) => {
      await page.goto(`${stack.app.legacy.origin}/auth/login`);
      await page.getByLabel('Email or username').fill(DEMO.username);
      await page.getByLabel('Password').fill(DEMO.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await atPath(page, '/dashboard');
      const wasm = await openWithoutWasm(page, '/auth/login');
      wasm.release();
      await atPath(page, '/dashboard');
      await page.getByText(DEMO.email).waitFor();
      assert.equal(await page.locator('#prerendered').count(), 0);
    }));
});

function browser() {
  return stack.browser;
}
