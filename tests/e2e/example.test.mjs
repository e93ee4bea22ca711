// The second app on the crates, examples/custom-user: its release build (Trunk) in headless
// Chromium against a real Strapi whose user has a field of the project's own (favouriteColour,
// strapi/src/extensions/users-permissions; the demo user's is "teal"), read by the example through a
// user type of its own. Once per JWT mode, one after the other on the same ports.
//
// EXAMPLE_SCREENSHOT=1 also saves the profile page as docs/example-profile.png.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { DEMO, alertText, atPath, inPage, launchBrowser, logIn, post, serveDist, startStrapi, storedKeys } from './harness.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const EXAMPLE = join(ROOT, 'examples/custom-user');
const STRAPI_PORT = 1531;
const APP_PORT = 3241;
const TOOLS = join(process.env.STRAPI_LOGIN_TOOLS ?? join(homedir(), '.cache/strapi-login-tools'), 'bin');

let browser;

before(async () => {
  // Trunk and the pinned wasm-bindgen and wasm-opt it runs live in the project's tool directory.
  const env = { ...process.env, PATH: [TOOLS, process.env.PATH].join(delimiter) };
  await promisify(execFile)('trunk', ['build', '--release'], { cwd: EXAMPLE, env, maxBuffer: 64 << 20 });
  browser = await launchBrowser();
});

after(() => browser?.close());

for (const mode of ['legacy', 'refresh']) {
  describe(`the custom-user example, Strapi in ${mode} mode`, () => {
    let strapi;
    let app;

    before(async () => {
      strapi = await startStrapi({ port: STRAPI_PORT, mode, origins: [`http://127.0.0.1:${APP_PORT}`] });
      app = await serveDist({ port: APP_PORT, dir: join(EXAMPLE, 'dist'), strapiUrl: strapi.url });
    });

    after(async () => {
      await app?.stop();
      await strapi?.stop();
    });

    test('/ leads to the profile, and so, signed out, to the login page; Back leaves the app', () =>
      inPage(browser, `example ${mode} root`, async (page) => {
        await page.goto(`${app.origin}/`);
        await atPath(page, '/login');
        assert.equal(new URL(page.url()).searchParams.get('redirect'), '/profile');
        // Each step replaced the one before: nothing to bounce through.
        await page.goBack();
        assert.equal(page.url(), 'about:blank');
      }));

    test('log in, the custom field after the login and after a reload, log out', () =>
      inPage(browser, `example ${mode}`, async (page) => {
        await page.goto(`${app.origin}/profile`);
        await atPath(page, '/login');
        assert.equal(new URL(page.url()).searchParams.get('redirect'), '/profile');

        await logIn(page, DEMO.email, 'not-the-password');
        assert.equal(await alertText(page), 'Wrong email or password.');
        assert.deepEqual(await storedKeys(page), {});

        // Straight from the login answer's user: no request to /users/me.
        const asked = [];
        page.on('request', (r) => r.url().endsWith('/users/me') && asked.push(r.url()));
        await logIn(page, DEMO.email, DEMO.password);
        await atPath(page, '/profile');
        await page.getByText('teal').waitFor();
        await page.getByText(DEMO.username, { exact: true }).waitFor();
        assert.deepEqual(asked, []);
        const stored = await storedKeys(page);
        assert.deepEqual(Object.keys(stored).sort(), mode === 'legacy' ? ['token'] : ['accessToken', 'refreshToken']);

        // After a reload only the token is left: the user comes from GET /users/me.
        const me = page.waitForResponse((r) => r.url().endsWith('/users/me'));
        await page.reload();
        assert.equal((await me).status(), 200);
        await page.getByText('teal').waitFor();
        if (process.env.EXAMPLE_SCREENSHOT && mode === 'legacy') {
          await page.screenshot({ path: join(ROOT, 'docs/example-profile.png') });
        }

        await page.getByRole('button', { name: 'Log out' }).click();
        await atPath(page, '/login');
        assert.equal(new URL(page.url()).search, '');
        assert.deepEqual(await storedKeys(page), {});
        if (mode === 'refresh') {
          // Logged out at Strapi too: the refresh token is dead.
          const refreshed = await post(strapi.api, '/auth/refresh', { refreshToken: stored.refreshToken });
          assert.equal(refreshed.status, 401);
        }
      }));
  });
}
