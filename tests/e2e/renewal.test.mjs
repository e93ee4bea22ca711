// Renewal that never storms Strapi, against a real Strapi 5.54.0 whose access tokens live 5 s:
// a computer clock hours ahead or behind in every JWT mode, and, through a proxy in front of
// Strapi, `/auth/refresh` failing (500), rate limited (429 with Retry-After) or never answering,
// with two tabs open; the refresh requests are counted where they reach the server.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { DEMO, inContext, launchBrowser, loggedInAt, serveApp, startStrapi, storedKeys } from './harness.mjs';

const APPS = { refresh: 3231, cookie: 3232, legacy: 3233, proxied: 3234 };
const ORIGINS = Object.values(APPS).map((port) => `http://127.0.0.1:${port}`);
const LIFESPAN = 5; // seconds an access token lives
const PROXY_PORT = 1523;

let browser;
let strapi;
let app;
let proxy;

/**
 * An HTTP proxy in front of `to` that passes everything on, except `POST …/auth/refresh` while
 * `proxy.refresh` says otherwise: `{status, headers}` to answer in Strapi's error shape, or
 * `'hang'` to never answer. `proxy.refreshes` holds the time each refresh request arrived.
 */
async function refreshProxy(to) {
  const state = { refresh: 'pass', refreshes: [], held: [] };
  const server = createServer(async (request, response) => {
    const body = await new Promise((done) => {
      const chunks = [];
      request.on('data', (c) => chunks.push(c));
      request.on('end', () => done(Buffer.concat(chunks)));
    });
    const refresh = request.method === 'POST' && request.url.endsWith('/auth/refresh');
    if (refresh) state.refreshes.push(Date.now());
    const cors = {
      'access-control-allow-origin': request.headers.origin ?? '*',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'Retry-After',
      'content-type': 'application/json',
    };
    if (refresh && state.refresh === 'hang') {
      state.held.push(response);
      return;
    }
    if (refresh && state.refresh !== 'pass') {
      const { status, headers = {} } = state.refresh;
      response.writeHead(status, { ...cors, ...headers });
      response.end(JSON.stringify({ data: null, error: { status, name: 'Error', message: 'Refused by the test', details: {} } }));
      return;
    }
    const upstream = await fetch(`${to}${request.url}`, {
      method: request.method,
      headers: Object.fromEntries(Object.entries(request.headers).filter(([k]) => k !== 'host' && k !== 'connection')),
      body: ['GET', 'HEAD'].includes(request.method) ? undefined : body,
    });
    const headers = {};
    upstream.headers.forEach((value, key) => {
      if (!['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(key)) headers[key] = value;
    });
    response.writeHead(upstream.status, headers);
    response.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise((listening) => server.listen(PROXY_PORT, '127.0.0.1', listening));
  state.url = `http://127.0.0.1:${PROXY_PORT}`;
  state.close = () => {
    for (const held of state.held) held.destroy();
    server.closeAllConnections();
    return new Promise((done) => server.close(done));
  };
  return state;
}

before(async () => {
  const [refresh, legacy] = await Promise.all([
    startStrapi({ port: 1521, mode: 'refresh', lifespan: LIFESPAN, origins: ORIGINS }),
    startStrapi({ port: 1522, mode: 'legacy', origins: ORIGINS }),
  ]);
  strapi = { refresh, legacy };
  proxy = await refreshProxy(refresh.url);
  const apps = await Promise.all([
    serveApp({ port: APPS.refresh, strapiUrl: refresh.url }),
    // The same Strapi, asked per request to keep the refresh token in its httpOnly cookie.
    serveApp({ port: APPS.cookie, strapiUrl: refresh.url, refresh: 'cookie' }),
    serveApp({ port: APPS.legacy, strapiUrl: legacy.url }),
    serveApp({ port: APPS.proxied, strapiUrl: proxy.url }),
  ]);
  app = Object.fromEntries(Object.keys(APPS).map((name, i) => [name, apps[i]]));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await proxy?.close();
  await Promise.all(Object.values(app ?? {}).map((s) => s.stop()));
  await Promise.all(Object.values(strapi ?? {}).map((s) => s.stop()));
});

describe('a computer clock hours off', () => {
  // Strapi's 5-second access tokens read against a clock two hours ahead look expired at once;
  // renewal must go by Strapi's clock (the token's iat), not hammer /auth/refresh. Playwright's
  // clock moves the page's Date (and timers) without touching the server's.
  const HOURS = 2 * 60 * 60 * 1000;
  const cases = [['refresh', HOURS], ['refresh', -HOURS], ['cookie', HOURS], ['cookie', -HOURS], ['legacy', HOURS], ['legacy', -HOURS]];
  for (const [mode, offset] of cases) {
    const label = `${offset > 0 ? 'ahead' : 'behind'} by two hours, ${mode} mode`;
    test(`${label}: logged in across a renewal, with at most two refreshes`, () =>
      inContext(browser, `clock ${label}`, async (context) => {
        await context.clock.install({ time: Date.now() + offset });
        const page = await context.newPage();
        const refreshes = [];
        page.on('request', (r) => r.url().endsWith('/auth/refresh') && r.method() === 'POST' && refreshes.push(r));
        await loggedInAt(page, app[mode].origin);
        const first = await storedKeys(page);

        // One renewal is due about a second before the first token expires.
        await sleep((LIFESPAN + 1.5) * 1000);
        if (mode === 'legacy') {
          assert.equal(refreshes.length, 0, 'a legacy token is not renewed');
        } else {
          assert.ok(refreshes.length >= 1 && refreshes.length <= 2, `${refreshes.length} refreshes`);
          assert.notEqual((await storedKeys(page)).accessToken, first.accessToken, 'renewed');
        }
        assert.equal(new URL(page.url()).pathname, '/dashboard');

        // The stored session is one Strapi accepts: a reload stays logged in.
        await page.reload();
        await page.getByText(DEMO.email).waitFor();
        assert.equal(new URL(page.url()).pathname, '/dashboard');
        assert.ok(refreshes.length <= 2, `${refreshes.length} refreshes after the reload`);
      }));
  }
});

describe('Strapi failing renewals, two tabs open', () => {
  /** Two tabs logged in through the proxy; resolves once both show the dashboard. */
  async function twoTabs(context) {
    const one = await context.newPage();
    await loggedInAt(one, app.proxied.origin);
    const two = await context.newPage();
    await two.goto(`${app.proxied.origin}/dashboard`);
    await two.getByText(DEMO.email).waitFor();
    return [one, two];
  }

  /** Waits for the first refresh request after `since`; its time. */
  async function firstRefreshAfter(since) {
    for (let i = 0; i < 200; i++) {
      const found = proxy.refreshes.find((t) => t >= since);
      if (found) return found;
      await sleep(50);
    }
    throw new Error('no refresh request arrived');
  }

  /** With the proxy passing again: the next renewal (when the backoff allows) gets through, and
   * both tabs stay logged in. */
  async function recovers(tabs) {
    const failed = proxy.refreshes.length;
    proxy.refresh = 'pass';
    for (let i = 0; i < 800 && proxy.refreshes.length === failed; i++) await sleep(50);
    assert.ok(proxy.refreshes.length > failed, 'renewal tried again within 40 s');
    await sleep(1_000);
    for (const tab of tabs) {
      await tab.reload();
      await tab.getByText(DEMO.email).waitFor();
      assert.equal(new URL(tab.url()).pathname, '/dashboard');
    }
  }

  test('a 500: one request for both tabs, then nothing for at least 5 s', () =>
    inContext(browser, 'refresh 500 two tabs', async (context) => {
      const tabs = await twoTabs(context);
      const since = Date.now();
      proxy.refresh = { status: 500 };
      const first = await firstRefreshAfter(since);
      await sleep(4_800 - (Date.now() - first));
      const early = proxy.refreshes.filter((t) => t >= first && t < first + 4_800);
      assert.equal(early.length, 1, `${early.length} refreshes within 4.8 s of the first`);
      await sleep(5_000);
      const inTen = proxy.refreshes.filter((t) => t >= first && t < first + 9_800);
      assert.ok(inTen.length <= 2, `${inTen.length} refreshes within 9.8 s`);
      for (const tab of tabs) assert.equal(new URL(tab.url()).pathname, '/dashboard', 'the session is kept');
      await recovers(tabs);
    }));

  test('a 429 with Retry-After: 8 is waited out by both tabs', () =>
    inContext(browser, 'refresh 429 two tabs', async (context) => {
      const tabs = await twoTabs(context);
      const since = Date.now();
      proxy.refresh = { status: 429, headers: { 'Retry-After': '8' } };
      const first = await firstRefreshAfter(since);
      await sleep(7_500 - (Date.now() - first));
      const waited = proxy.refreshes.filter((t) => t >= first);
      assert.equal(waited.length, 1, `${waited.length} refreshes within 7.5 s (the backoff alone allows 5)`);
      await recovers(tabs);
    }));

  test('a refresh that never answers: no second one beside it, from either tab', () =>
    inContext(browser, 'refresh hangs two tabs', async (context) => {
      const tabs = await twoTabs(context);
      const since = Date.now();
      proxy.refresh = 'hang';
      const first = await firstRefreshAfter(since);
      await sleep(12_000);
      const during = proxy.refreshes.filter((t) => t >= first);
      assert.equal(during.length, 1, `${during.length} refreshes while the first hangs`);
      // The app gives up after 15 s, waits its backoff, and asks again.
      await recovers(tabs);
    }));
});
