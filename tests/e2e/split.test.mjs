// The split build (src/lazy, scripts/wasm.mjs): the pages a login never needs come in chunks
// fetched on demand. A chunk that cannot be fetched (offline, a deploy in between) gives a message
// and a retry, never a dead app; a page opened directly fetches its chunk once, from the start.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { DEMO, LAZY_CHUNK, alertText, atPath, axeViolations, inPage, logIn, startStack, storedKeys } from './harness.mjs';

let stack;
before(async () => {
  stack = await startStack({ legacy: { strapi: { port: 1571 }, app: 3261 } });
});
after(async () => {
  await stack?.stop();
});

/** Makes every chunk request of `page` fail as `fail` says, until the returned function is called. */
async function chunksFail(page, fail = (route) => route.abort('internetdisconnected')) {
  const handler = (route) => fail(route);
  await page.route(LAZY_CHUNK, handler);
  return () => page.unroute(LAZY_CHUNK, handler);
}

describe('split build', () => {
  test('the dashboard\'s chunk cannot be fetched: a message and "Try again", then the dashboard, signed in all along', () =>
    inPage(stack.browser, 'chunk fails after login', async (page) => {
      const restore = await chunksFail(page);
      await page.goto(`${stack.app.legacy.origin}/auth/login`);
      await logIn(page, DEMO.email, DEMO.password);
      await atPath(page, '/dashboard');
      await page.getByRole('heading', { name: 'This page could not load' }).waitFor();
      assert.equal(await alertText(page), 'Check your connection and try again.');
      // Signed in all the same: nothing lost.
      assert.deepEqual(Object.keys(await storedKeys(page)), ['token']);

      await restore();
      await page.getByRole('button', { name: 'Try again' }).click();
      await page.getByText(DEMO.email).waitFor();
      assert.equal(await page.getByRole('heading', { name: 'Dashboard' }).count(), 1);
      assert.equal(await page.getByRole('heading', { name: 'This page could not load' }).count(), 0);
    }));

  test('offline between pages: "Try again" waits for the connection, then the page comes', () =>
    inPage(stack.browser, 'chunk offline', async (page) => {
      const restore = await chunksFail(page);
      await page.goto(`${stack.app.legacy.origin}/auth/login`);
      await page.getByRole('link', { name: 'Create an account' }).click();
      await atPath(page, '/auth/register');
      await page.getByRole('heading', { name: 'This page could not load' }).waitFor();
      assert.deepEqual(await axeViolations(page), []);

      // Still offline: the message stays and the button is usable again, and the page was not
      // reloaded (a reload would show the browser's own error page).
      await page.context().setOffline(true);
      await page.evaluate(() => { window.sameDocument = true; });
      const tryAgain = page.getByRole('button', { name: 'Try again' });
      await tryAgain.click();
      await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
      assert.equal(await page.getByRole('heading', { name: 'This page could not load' }).count(), 1);
      assert.equal(await tryAgain.isEnabled(), true);
      assert.equal(await page.evaluate(() => window.sameDocument), true);

      await page.context().setOffline(false);
      await restore();
      await tryAgain.click();
      await page.getByRole('heading', { name: 'Create an account' }).waitFor();
      await page.getByLabel('Username').fill('typed');
      assert.equal(await page.getByLabel('Username').inputValue(), 'typed');
    }));

  test('a deploy in between (the chunk is gone, the site names new files): "Try again" reloads the page, once', () =>
    inPage(stack.browser, 'chunk gone', async (page) => {
      const restore = await chunksFail(page, (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'Not Found' }));
      await page.goto(`${stack.app.legacy.origin}/auth/forgot-password`);
      const message = page.getByRole('heading', { name: 'This page could not load' });
      const tryAgain = page.getByRole('button', { name: 'Try again' });
      await message.waitFor();

      // Gone, but the site still names this page's files (no deploy): the message stays.
      await page.evaluate(() => { window.sameDocument = true; });
      await tryAgain.click();
      await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
      assert.equal(await page.evaluate(() => window.sameDocument), true);

      // A deploy: the site's index.html names other chunks. The page reloads itself, once.
      await page.route('**/index.html', async (route) => {
        const answer = await route.fetch();
        const html = (await answer.text()).replace(/chunks-[0-9a-f]{16}/g, 'chunks-ffffffffffffffff');
        await route.fulfill({ response: answer, body: html });
      });
      await Promise.all([page.waitForEvent('load'), tryAgain.click()]);
      assert.equal(await page.evaluate(() => window.sameDocument), undefined);
      await message.waitFor();
      await page.evaluate(() => { window.sameDocument = true; });
      await page.waitForTimeout(2_000);
      assert.equal(await page.evaluate(() => window.sameDocument), true, 'no reload without a click');

      await restore();
      await tryAgain.click();
      await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    }));

  test('a page opened directly fetches its chunk once, beside the main wasm, and nothing of the other pages\'', () =>
    inPage(stack.browser, 'chunk deep link', async (page) => {
      await page.goto(`${stack.app.legacy.origin}/auth/login`);
      await logIn(page, DEMO.email, DEMO.password);
      await atPath(page, '/dashboard');
      await page.getByText(DEMO.email).waitFor();

      const requested = [];
      page.on('request', (r) => requested.push(new URL(r.url()).pathname));
      await page.reload();
      await page.getByText(DEMO.email).waitFor();
      const chunks = requested.filter((p) => LAZY_CHUNK.test(p)).map((p) => p.replace(/-[0-9a-f]{16}/, '').replace(/-\d+/, ''));
      assert.deepEqual(chunks.toSorted(), ['/account.wasm', '/shared.wasm'], requested.join(' '));
      // Preloaded by the loader beside the main wasm (not fetched once the app has started), and
      // the app's own fetch took the preloaded answer.
      const initiators = await page.evaluate((pattern) =>
        performance.getEntriesByType('resource').filter((r) => new RegExp(pattern).test(r.name)).map((r) => r.initiatorType),
      LAZY_CHUNK.source);
      assert.deepEqual(initiators, ['link', 'link']);
    }));
});
