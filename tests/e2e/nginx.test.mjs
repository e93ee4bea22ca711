// The release build behind Debian's nginx with the project's deploy/nginx configuration: headers,
// caching, compression, deep links, and a real login under its Content-Security-Policy.
import assert from 'node:assert/strict';
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
  const html = await (await fetch(`${nginx.origin}/auth/login`)).text();
  const assets = [...html.matchAll(/(?:href|src)=["']?(\/[^"' >]+-[0-9a-f]{8,16}(?:_bg)?\.(?:js|wasm|css))/g)].map((m) => m[1]);
  assert.ok(assets.some((a) => a.endsWith('.wasm')) && assets.some((a) => a.endsWith('.css')), assets.join());
  for (const asset of assets) {
    const response = await fetch(`${nginx.origin}${asset}`, { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(response.status, 200, asset);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable', asset);
    assert.equal(response.headers.get('content-encoding'), 'gzip', asset);
    assert.ok(response.headers.get('content-security-policy'), asset);
  }
  const wasm = await fetch(`${nginx.origin}${assets.find((a) => a.endsWith('.wasm'))}`);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
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
