// The release build behind Debian's nginx with the project's deploy/nginx configuration: headers,
// caching, compression, deep links, and a real login under its Content-Security-Policy.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';

import { DEMO, atPath, inPage, launchBrowser, logIn, serveWithNginx, startStrapi, storedKeys } from './harness.mjs';

const PORT = 3131;
let browser;
let strapi;
let nginx;

before(async () => {
  strapi = await startStrapi({ port: 1431, origins: [`http://127.0.0.1:${PORT}`] });
  nginx = await serveWithNginx({ port: PORT, strapiUrl: strapi.url });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await nginx?.stop();
  await strapi?.stop();
});

test('deep links get index.html (/auth/login its pre-rendered page), uncached, with the security headers', async () => {
  for (const path of ['/auth/login', '/auth/login/', '/auth/', '/dashboard', '/auth/register', '/no/such/page', '/']) {
    const response = await fetch(`${nginx.origin}${path}`);
    assert.equal(response.status, 200, path);
    const html = await response.text();
    assert.match(html, /<meta name="strapi-url" content="http:\/\/127\.0\.0\.1:1431">/);
    // Only /auth/login has the form in its HTML; no other path may flash it.
    assert.equal(html.includes('id="prerendered"'), path === '/auth/login', path);
    assert.equal(response.headers.get('cache-control'), 'no-cache', path);
    const csp = response.headers.get('content-security-policy');
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.match(csp, /connect-src 'self' http:\/\/127\.0\.0\.1:1431;/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  }
});

test('hashed assets are cached for good and compressed', async () => {
  // index.html links them all (the login pages carry the stylesheet inline).
  const html = await (await fetch(`${nginx.origin}/dashboard`)).text();
  const assets = [...html.matchAll(/(?:href|src)=["']?(\/[^"' >]+-[0-9a-f]{8,16}(?:_bg)?\.(?:js|wasm|css))/g)].map((m) => m[1]);
  assert.ok(assets.some((a) => a.endsWith('.wasm')) && assets.some((a) => a.endsWith('.css')), assets.join());
  // And the chunks of the other pages, which the chunks' loader names (src/lazy, scripts/wasm.mjs).
  const chunksLoader = assets.find((a) => /^\/chunks-[0-9a-f]{16}\.js$/.test(a));
  assert.ok(chunksLoader, assets.join());
  const chunks = [...(await (await fetch(`${nginx.origin}${chunksLoader}`)).text()).matchAll(/"\.(\/[\w-]+-[0-9a-f]{16}\.wasm)"/g)].map((m) => m[1]);
  assert.deepEqual(chunks.filter((c) => /^\/(account|flows)-/.test(c)).length, 2, chunks.join());
  assets.push(...chunks);
  for (const asset of assets) {
    const response = await fetch(`${nginx.origin}${asset}`, { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(response.status, 200, asset);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable', asset);
    assert.equal(response.headers.get('content-encoding'), 'gzip', asset);
    assert.ok(response.headers.get('content-security-policy'), asset);
  }
  for (const file of [assets.find((a) => a.endsWith('_bg.wasm')), ...chunks]) {
    const wasm = await fetch(`${nginx.origin}${file}`);
    assert.equal(wasm.headers.get('content-type'), 'application/wasm', file);
  }
  // A hashed name that is not there (yet: a deploy copying index.html first) is not cached.
  const missing = await fetch(`${nginx.origin}/account-0123456789abcdef.wasm`);
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get('cache-control'), null);
});

test('a person logs in through nginx, under its Content-Security-Policy', () =>
  inPage(browser, 'nginx login', async (page) => {
    const response = await page.goto(`${nginx.origin}/auth/login`);
    assert.ok(response.headers()['content-security-policy']);
    await logIn(page, DEMO.email, DEMO.password);
    await atPath(page, '/dashboard');
    await page.getByText(DEMO.email).waitFor();
    assert.deepEqual(Object.keys(await storedKeys(page)), ['token']);
  }));

/** The `'sha256-…'` of the inline stylesheet in `html`, computed here from the page itself. */
function inlineStyleHash(html) {
  const css = html.match(/<style>([\s\S]*?)<\/style>/)?.[1];
  assert.ok(css, 'the page has its stylesheet inline');
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
}

test('Accept-Language picks the pre-rendered login page in the visitor\'s language, as the app would', async () => {
  const cases = [
    ['de-DE,de;q=0.9,en;q=0.8', 'de', 'Anmelden'],
    ['sv-SE,fr;q=0.8', 'fr', 'Se connecter'],
    ['en-US,de;q=0.5', 'en', 'Log in'],
    ['pt-PT,pt;q=0.9', 'pt-BR', null],
    ['zh-TW,ja;q=0.7', 'ja', null],
    ['zh-Hans-CN', 'zh-CN', null],
    ['ar-EG', 'ar', null],
    ['', 'en', 'Log in'],
  ];
  for (const [accept, lang, heading] of cases) {
    const response = await fetch(`${nginx.origin}/auth/login`, { headers: { 'Accept-Language': accept } });
    const html = await response.text();
    assert.match(html, new RegExp(`<html lang="${lang}"`), accept);
    assert.ok(html.includes('id="prerendered"'), accept);
    if (heading) assert.ok(html.includes(`<h1 id="page-title">${heading}</h1>`), `${accept}: ${heading}`);
    assert.match(response.headers.get('vary') ?? '', /Accept-Language/, accept);
    // Allowed by the CSP through the hash the build wrote, computed here from the page itself.
    assert.ok(response.headers.get('content-security-policy').includes(inlineStyleHash(html)), accept);
    assert.doesNotMatch(response.headers.get('content-security-policy'), /unsafe-inline/);
  }
  // The person's own pick in the picker (its cookie) comes first.
  const picked = await fetch(`${nginx.origin}/auth/login`, {
    headers: { 'Accept-Language': 'de-DE,de', Cookie: 'strapi_login_locale=fr' },
  });
  assert.match(await picked.text(), /<html lang="fr"/);
  // Only /auth/login is negotiated; the build's notes for nginx are not served.
  const dashboard = await (await fetch(`${nginx.origin}/dashboard`, { headers: { 'Accept-Language': 'de' } })).text();
  assert.ok(!dashboard.includes('id="prerendered"'));
  assert.equal((await fetch(`${nginx.origin}/.nginx/strapi-login-styles.conf`)).status, 404);
});

test('a German browser sees the German form, styled, from the first paint: before any script runs', () =>
  inPage(
    browser,
    'nginx german first paint',
    async (page) => {
      // The app never starts: what shows is the HTML (and its inline stylesheet) alone.
      await page.route(/\.(?:wasm|js)$/, (route) => route.abort());
      await page.goto(`${nginx.origin}/auth/login`);
      await page.getByLabel('E-Mail oder Benutzername').waitFor();
      assert.equal(await page.title(), 'Anmelden');
      const styled = await page.locator('.card').evaluate((card) => getComputedStyle(card).borderRadius);
      assert.notEqual(styled, '0px', 'the inline stylesheet applies under the CSP');
    },
    { locale: 'de-DE' },
  ));
