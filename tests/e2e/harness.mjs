// What the end-to-end tests stand on: real Strapi instances started by scripts/strapi.sh, the
// release build served as static files (with the <meta> tags an operator would set), and headless
// Chromium driven by playwright-core. Every app server sends the strict Content-Security-Policy of
// contentSecurityPolicy(), and a test fails if the page breaks it. A failing test leaves a screenshot and the browser console
// in tests/e2e/artifacts/.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

import { serve } from '../../scripts/serve-dist.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ARTIFACTS = join(ROOT, 'tests/e2e/artifacts');
const run = promisify(execFile);

export const DEMO = { username: 'demo', email: 'demo@example.com', password: 'Demo-Passw0rd!' };

/** A chunk of the split build's other pages (src/lazy, scripts/wasm.mjs), by its URL's path. */
export const LAZY_CHUNK = /\/(account|flows|shared-\d+)-[0-9a-f]{16}\.wasm$/;

/**
 * A Strapi of scripts/strapi.sh on `port`, reset to an empty database with the demo user, and its
 * mail catcher. `app` is where the links in its emails lead (the app's origin); `confirmation`
 * makes new accounts confirm their email; `register: false` closes sign-up; `passkeyOrigins` are
 * where strapi-plugin-passkeys accepts passkeys (its relying party id: the first one's host);
 * `publicUrl` is where browsers reach Strapi for a provider login (its session cookie belongs to
 * that host: `http://localhost:PORT` for apps served on localhost, as passkeys need).
 */
export async function startStrapi({
  port,
  mode = 'legacy',
  prefix = '/api',
  rateLimit = false,
  lifespan,
  origins,
  app = origins[0],
  confirmation = false,
  register = true,
  passkeyOrigins,
  publicUrl = `http://127.0.0.1:${port}`,
}) {
  const env = {
    ...process.env,
    STRAPI_PORT: String(port),
    STRAPI_JWT_MODE: mode,
    STRAPI_API_PREFIX: prefix,
    STRAPI_RATE_LIMIT: rateLimit ? 'on' : 'off',
    STRAPI_CORS_ORIGINS: origins.join(','),
    STRAPI_APP_URL: app,
    STRAPI_EMAIL_CONFIRMATION: String(confirmation),
    STRAPI_ALLOW_REGISTER: String(register),
    STRAPI_PUBLIC_URL: publicUrl,
    ...(lifespan ? { STRAPI_ACCESS_TOKEN_LIFESPAN: String(lifespan) } : {}),
    ...(passkeyOrigins ? { STRAPI_PASSKEY_ORIGINS: passkeyOrigins.join(',') } : {}),
  };
  const script = join(ROOT, 'scripts/strapi.sh');
  await run(script, ['reset'], { env });
  const inbox = `http://127.0.0.1:${port + 21000}`;
  const oauth = `http://127.0.0.1:${port + 22000}`;
  return {
    url: `http://127.0.0.1:${port}`,
    api: `http://127.0.0.1:${port}${prefix}`,
    inbox,
    /**
     * The newest mail to `to` caught by this Strapi's mail catcher (newer than `previous`, when
     * given), waiting up to 10 s for it.
     */
    mailTo: (to, previous) => newestMail(inbox, to, previous),
    /** Tells this Strapi's OAuth provider ("mock") who the next login is, or `{deny: true}`. */
    nextProviderLogin: async (next) => {
      const r = await fetch(`${oauth}/control/next`, { method: 'POST', body: JSON.stringify(next) });
      assert.equal(r.status, 204);
    },
    stop: () => run(script, ['stop'], { env }),
  };
}

/** MailDev's REST API: every caught mail, newest last. */
async function newestMail(inbox, to, previous) {
  for (let i = 0; i < 100; i++) {
    const mails = await (await fetch(`${inbox}/api/email`)).json();
    const found = mails.filter((m) => m.to.some((t) => t.address === to.toLowerCase())).at(-1);
    if (found && found.id !== previous?.id) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${to} reached ${inbox}`);
}

/** The first link in a mail's HTML whose URL has `parameter` in its query. */
export function linkIn(mail, parameter) {
  const url = /https?:\/\/[^\s"<>]+/g;
  const found = (mail.html ?? mail.text).match(url)?.find((u) => new URL(u.replace(/&amp;/g, '&')).searchParams.has(parameter));
  if (!found) throw new Error(`no link with ?${parameter}= in mail "${mail.subject}"`);
  return found.replace(/&amp;/g, '&');
}

/**
 * The Content-Security-Policy every end-to-end test runs under (the one issue 6 asks for): no
 * inline style but the pre-rendered pages' stylesheet, by the hash the build wrote.
 */
export function contentSecurityPolicy(strapiUrl, styleHashes = '') {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    `style-src 'self'${styleHashes ? ` ${styleHashes}` : ''}`,
    `connect-src 'self' ${new URL(strapiUrl).origin}`,
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

/**
 * Serves a copy of the release build (dist/) on `port`, its <meta> tags pointing the app at
 * `strapiUrl` and `apiPrefix`: the same rewrite an operator makes to repoint a built app.
 */
export async function serveApp({ port, strapiUrl, apiPrefix = '', refresh = '', register = '', providers = '', files = {}, configure = [] }) {
  const dir = await mkdtemp(join(tmpdir(), 'strapi-login-dist-'));
  await configuredCopyOfDist(dir, { strapiUrl, apiPrefix, refresh, register, providers, files, configure });
  return serveCopy(dir, port, strapiUrl);
}

/**
 * Serves a copy of another app's build, `dir` (an example's dist/), on `port` as serveApp serves the
 * main app's: its <meta name="strapi-url"> pointed at `strapiUrl` by deploy/configure.sh, under the
 * same Content-Security-Policy.
 */
export async function serveDist({ port, dir, strapiUrl }) {
  const copy = await mkdtemp(join(tmpdir(), 'strapi-login-dist-'));
  await cp(dir, copy, { recursive: true });
  await run(join(ROOT, 'deploy/configure.sh'), [copy, '--url', strapiUrl]);
  return serveCopy(copy, port, strapiUrl);
}

/** Serves the build copied into `dir` under the strict CSP; `stop` removes the copy too. */
async function serveCopy(dir, port, strapiUrl) {
  const hashes = (await readFile(join(dir, '.nginx/style-hashes.txt'), 'utf8').catch(() => '')).trim();
  const server = await serve(dir, port, { 'Content-Security-Policy': contentSecurityPolicy(strapiUrl, hashes) });
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: async () => {
      await new Promise((done) => server.close(done));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Copies dist/ to `dir` and points it at Strapi with deploy/configure.sh, as an operator would.
 * `files` ({path: text}) are written into the copy first (a logo, a theme), `configure` are more
 * arguments for configure.sh (`['--name', 'Acme']`); `{dir}` in them stands for the copy.
 */
async function configuredCopyOfDist(dir, { strapiUrl, apiPrefix = '', refresh = '', register = '', providers = '', files = {}, configure = [] }) {
  await cp(join(ROOT, 'dist'), dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) await writeFile(join(dir, path), text);
  const args = [
    dir,
    ...['--url', strapiUrl, '--api-prefix', apiPrefix, '--refresh', refresh],
    ...['--register', register, '--providers', providers],
    ...configure.map((a) => a.replaceAll('{dir}', dir)),
  ];
  await run(join(ROOT, 'deploy/configure.sh'), args);
}

/**
 * Serves a configured copy of the release build with Debian's nginx and the project's own
 * deploy/nginx configuration (security headers, caching, compression, SPA fallback).
 */
export async function serveWithNginx({ port, strapiUrl }) {
  const prefix = await mkdtemp(join(tmpdir(), 'strapi-login-nginx-'));
  const root = join(prefix, 'dist');
  await configuredCopyOfDist(root, { strapiUrl });
  await mkdir(join(prefix, 'conf/snippets'), { recursive: true });
  for (const file of ['strapi-login-locations.conf', 'strapi-login-headers.conf', 'strapi-login-languages.conf']) {
    await cp(join(ROOT, 'deploy/nginx', file), join(prefix, 'conf/snippets', file));
  }
  await writeFile(
    join(prefix, 'conf/nginx.conf'),
    `# Test wrapper around deploy/nginx: the same server block as deploy/nginx/strapi-login.conf.
user root;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log;
events {}
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path ${prefix}/tmp;
  include snippets/strapi-login-languages.conf;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    set $strapi_origin ${new URL(strapiUrl).origin};
    include ${root}/.nginx/strapi-login-styles.conf;
    include snippets/strapi-login-locations.conf;
  }
}
`,
  );
  const args = ['-p', `${prefix}/`, '-c', 'conf/nginx.conf'];
  await run('/usr/sbin/nginx', [...args, '-t']);
  await run('/usr/sbin/nginx', args);
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: async () => {
      await run('/usr/sbin/nginx', [...args, '-s', 'quit']).catch(() => {});
      for (let i = 0; i < 40; i++) {
        const running = await run('kill', ['-0', (await readFile(`${prefix}/nginx.pid`, 'utf8').catch(() => '0')).trim()])
          .then(() => true)
          .catch(() => false);
        if (!running) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await rm(prefix, { recursive: true, force: true });
    },
  };
}

const CHROMIUM = {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

export async function launchBrowser() {
  return chromium.launch(CHROMIUM);
}

/**
 * A TCP proxy on `port` in front of `to` (a port on 127.0.0.1) that counts the connections made
 * to it (`connections`) and holds each new one `delay` ms before passing anything on: a
 * connection set-up on a real network, which loopback does not have.
 */
export async function tcpProxy({ port, to, delay = 0 }) {
  const proxy = { connections: 0 };
  const server = net.createServer((client) => {
    proxy.connections++;
    client.pause();
    setTimeout(() => {
      const upstream = net.connect(to, '127.0.0.1', () => {
        client.pipe(upstream).pipe(client);
        client.resume();
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    }, delay);
  });
  await new Promise((listening) => server.listen(port, '127.0.0.1', listening));
  proxy.close = () => server.close();
  return proxy;
}

/**
 * Runs `body(page)` in a browser with a profile of its own, as a person's browser is, rather than
 * in a private context like `inPage`'s: Chromium ignores `<link rel="preconnect">` in private
 * contexts. Checks and keeps what fails like `inContext`.
 */
export async function inProfile(name, body) {
  const profile = await mkdtemp(join(tmpdir(), 'strapi-login-profile-'));
  const context = await chromium.launchPersistentContext(profile, CHROMIUM);
  try {
    await watched(context, name, (context) => context.newPage().then(body));
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}

/**
 * Runs `body(page)` in a fresh browser context (empty storage; `options` are playwright's, such as
 * `{ locale: 'de-DE' }`). On failure it keeps a screenshot
 * and the browser console under tests/e2e/artifacts/, then fails with the original error.
 */
export async function inPage(browser, name, body, options = {}) {
  return inContext(browser, name, (context) => context.newPage().then(body), options);
}

/**
 * Runs `body(context)` in a fresh browser context (empty storage), where the test may open several
 * tabs. On failure it keeps a screenshot and the console of every tab under tests/e2e/artifacts/,
 * then fails with the original error.
 */
export async function inContext(browser, name, body, options = {}) {
  const context = await browser.newContext(options);
  try {
    await watched(context, name, body);
  } finally {
    await context.close();
  }
}

/**
 * Runs `body(context)`, collecting the console of every tab it opens; fails on any
 * Content-Security-Policy violation, and on failure keeps a screenshot and the console of each
 * tab under tests/e2e/artifacts/, then fails with the original error.
 */
async function watched(context, name, body) {
  const consoles = new Map();
  context.on('page', (page) => {
    const lines = [];
    consoles.set(page, lines);
    page.on('console', (m) => lines.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => lines.push(`[pageerror] ${e.message}`));
  });
  try {
    await body(context);
    const violations = [...consoles.values()].flat().filter((line) => /Content Security Policy/i.test(line));
    assert.deepEqual(violations, [], 'the page broke its Content-Security-Policy');
  } catch (error) {
    await mkdir(ARTIFACTS, { recursive: true });
    const base = join(ARTIFACTS, name.replace(/[^a-z0-9]+/gi, '-'));
    let tab = 0;
    for (const [page, lines] of consoles) {
      const file = consoles.size > 1 ? `${base}-tab${++tab}` : base;
      await page.screenshot({ path: `${file}.png`, fullPage: true }).catch(() => {});
      await writeFile(`${file}.console.txt`, `${page.url()}\n${lines.join('\n')}\n`);
    }
    error.message += `\n(screenshots and consoles: ${base}*.{png,console.txt})`;
    throw error;
  }
}

/** Logs the demo user in on the app at `origin`; resolves once the dashboard shows them. */
export async function loggedInAt(page, origin) {
  await page.goto(`${origin}/auth/login`);
  await logIn(page, DEMO.email, DEMO.password);
  await atPath(page, '/dashboard');
  await page.getByText(DEMO.email).waitFor();
}

/** Everything the app may have written to localStorage. */
export async function storedKeys(page) {
  return page.evaluate(() =>
    Object.fromEntries(['token', 'accessToken', 'refreshToken'].filter((k) => localStorage.getItem(k) !== null).map((k) => [k, localStorage.getItem(k)])),
  );
}

/** Fills the login form and submits it, as a person would; resolves once the POST has ended. */
export async function logIn(page, identifier, password) {
  await page.getByLabel('Email or username').fill(identifier);
  await page.getByLabel('Password').fill(password);
  const ended = new Promise((done) => {
    const onEnd = (request) => {
      if (request.method() !== 'POST' || !request.url().endsWith('/auth/local')) return;
      page.off('requestfinished', onEnd);
      page.off('requestfailed', onEnd);
      done();
    };
    page.on('requestfinished', onEnd);
    page.on('requestfailed', onEnd);
    setTimeout(done, 15000);
  });
  await page.getByRole('button', { name: 'Log in' }).click();
  await ended;
}

/** Waits until the page shows `path` (whatever the query), as the app navigates without reloads. */
export async function atPath(page, path, timeout) {
  await page.waitForURL((url) => url.pathname === path, { timeout });
}

/** The text of the alert once one shows. */
export async function alertText(page) {
  const alert = page.getByRole('alert');
  await alert.waitFor();
  return (await alert.textContent()).trim();
}

const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations on the page as it is now (evaluated over DevTools, so the CSP allows it). */
export async function axeViolations(page) {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => (await window.axe.run(document)).violations);
  return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** How far the page scrolls sideways (0 or less: it fits). */
export async function sidewaysOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/**
 * For each entry `name: { app: PORT, strapi: {...startStrapi options}, serve: {...serveApp options} }`:
 * a Strapi that allows that app's origin (and mails links to it), the app pointed at it, and one
 * browser for all. Resolves to `{ strapi: {name: …}, app: {name: …}, browser, stop }`.
 */
export async function startStack(stack) {
  const names = Object.keys(stack);
  const origin = (name) => `http://127.0.0.1:${stack[name].app}`;
  const strapis = await Promise.all(names.map((name) => startStrapi({ origins: [origin(name)], ...stack[name].strapi })));
  const strapi = Object.fromEntries(names.map((name, i) => [name, strapis[i]]));
  const apps = await Promise.all(
    names.map((name) => serveApp({ port: stack[name].app, strapiUrl: strapi[name].url, ...stack[name].serve })),
  );
  const app = Object.fromEntries(names.map((name, i) => [name, apps[i]]));
  const browser = await launchBrowser();
  return {
    strapi,
    app,
    browser,
    stop: async () => {
      await browser.close();
      await Promise.all(apps.map((s) => s.stop()));
      await Promise.all(strapis.map((s) => s.stop()));
    },
  };
}

/** A JSON POST straight to Strapi (setting up what a test needs, or checking what the app did). */
export function post(api, route, body, token) {
  return fetch(`${api}${route}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

let registered = 0;
/** A new person (username `<prefix>N…`), registered straight at Strapi's `api` (sign-up open). */
export async function registerPerson(api, prefix) {
  registered += 1;
  const username = `${prefix}${registered}${Date.now() % 100000}`;
  const person = { username, email: `${username}@example.com`, password: `Pw-${username}!` };
  const r = await post(api, '/auth/local/register', person);
  assert.equal(r.status, 200, await r.text());
  return person;
}

/**
 * A platform authenticator with user verification on `page`'s target: Chromium's virtual
 * authenticator (DevTools protocol). `autofill: false` makes the page believe the browser offers no
 * passkey autofill (conditional mediation). Answers `{credentials()}`: the passkeys it holds.
 */
export async function virtualAuthenticator(page, { autofill = true } = {}) {
  if (!autofill) {
    await page.addInitScript(() => {
      PublicKeyCredential.isConditionalMediationAvailable = async () => false;
    });
  }
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
  };
}
