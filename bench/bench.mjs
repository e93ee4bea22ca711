// The benchmark: what /auth/login costs in bytes, in load time, in memory, and in client-side work
// during a login round trip against a real Strapi. It reports; it asserts nothing.
//
//   scripts/bench.sh [--loads N] [--logins N] [--throttled-loads N] [--throttled-logins N]
//                                                  (builds the release app first)
//
// The cold loads are interleaved with those of three reference pages: the seed's login page (the
// Strapi cookbook's Next.js page, ../shared/peers/seed-next, built by scripts/build-seed.sh into
// BENCH_SEED_DIR and served by `next start`), a plain HTML form (the floor) and the smallest
// Leptos form (both from scripts/build-references.sh), so the app's numbers can be read against
// the seed, and against what any page and any Leptos page cost, on the same machine in the same
// minute; the report states them as ratios to the seed and to the floor. Every page is served
// compressed the way it would be in production: the app by nginx with deploy/nginx's configuration
// (gzip), the seed by Next.js (gzip), the two others with gzip at nginx's level. Every
// measurement runs twice: as the machine is, and throttled over DevTools the way Lighthouse's
// mobile profile is (4× slower CPU, "slow 4G": 562.5 ms round trips, 1.47 Mbit/s down).
//
// Prints a markdown report and, last, the same numbers as one JSON document.
import { execFile, spawn } from 'node:child_process';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { cpus, tmpdir, totalmem } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

import { DEMO, LAZY_CHUNK, launchBrowser, serveWithNginx, startStrapi } from '../tests/e2e/harness.mjs';
import { loginAssets, sizeTable, total } from './sizes.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const LOADS = arg('loads', 20);
const LOGINS = arg('logins', 10);
const THROTTLED_LOADS = arg('throttled-loads', 8);
const THROTTLED_LOGINS = arg('throttled-logins', 5);
/** DevTools' throttling: `null` for none. */
const THROTTLED = {
  cpuRate: 4,
  network: { offline: false, latency: 562.5, downloadThroughput: (1.474 * 1e6) / 8, uploadThroughput: (0.675 * 1e6) / 8 },
};

/** Applies `throttle` (THROTTLED or null) to `page` over CDP; returns the session. */
async function throttled(context, page, throttle) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (throttle) {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle.cpuRate });
    await cdp.send('Network.emulateNetworkConditions', throttle.network);
  }
  return cdp;
}
/** The pause before each login, for typing. */
const TYPING_MS = 1_000;
const APP_PORT = 3390; // 3390–3393: the end-to-end tests use 3101–3252 and may run at the same time
const STRAPI_PORT = 1490;
const SEED_PORT = 3393;
const REFERENCES = [
  { name: 'seed', page: "the seed's login page: the Strapi cookbook's, Next.js 16 (webpack build, `next start`)", port: SEED_PORT },
  { name: 'floor', page: 'a plain HTML form and a few lines of JavaScript', port: 3391 },
  { name: 'leptos-form', page: 'the smallest Leptos 0.8 login form (no router, HTTP or JSON)', port: 3392 },
];
const REFERENCE_DIR = process.env.BENCH_REFERENCE_DIR ?? join(ROOT, 'target/bench-reference');
const SEED_DIR = process.env.BENCH_SEED_DIR;
if (!SEED_DIR) {
  console.error('BENCH_SEED_DIR is not set: run the benchmark with scripts/bench.sh (it builds the seed with scripts/build-seed.sh)');
  process.exit(2);
}

/**
 * The seed's page, built by scripts/build-seed.sh into `dir`, served by Next.js itself (`next
 * start`, its own gzip) as the seed's README says, in a process group of its own; `stop` ends it.
 */
async function serveSeed(dir, port) {
  const url = `http://127.0.0.1:${port}/auth/login`;
  if (await fetch(url).then(() => true, () => false)) throw new Error(`port ${port} already answers: stop what runs there, the seed's page is served there`);
  const output = [];
  const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production', NEXT_DIST_DIR: '.next-webpack', NEXT_TELEMETRY_DISABLED: '1' },
  });
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => output.push(chunk));
  const exited = new Promise((done) => {
    child.once('exit', done);
    child.once('error', (error) => done(output.push(Buffer.from(String(error)))));
  });
  let running = true;
  exited.then(() => (running = false));
  const kill = () => {
    if (running) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {} // already gone
    }
  };
  process.once('exit', kill);
  const stop = async () => {
    kill();
    await exited;
  };
  for (let i = 0; i < 240 && running; i++) {
    if (await fetch(url).then((r) => r.ok, () => false)) return { stop };
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`the seed's \`next start\` in ${dir} did not answer on port ${port}:\n${Buffer.concat(output)}`);
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm' };
/**
 * Serves a reference page's directory (flat: index.html for every path without an extension) the
 * way the app's nginx serves the app: gzip at level 6 from 256 bytes on.
 */
function serveGzipped(dir, port) {
  const gzipped = new Map();
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const name = extname(path) ? basename(path) : 'index.html';
    const body = await readFile(join(dir, name)).catch(() => null);
    if (body === null) return res.writeHead(404).end();
    const gzip = body.length >= 256 && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    if (gzip && !gzipped.has(name)) gzipped.set(name, gzipSync(body, { level: 6 }));
    res.writeHead(200, {
      'Content-Type': TYPES[extname(name)] ?? 'application/octet-stream',
      'Cache-Control': name === 'index.html' ? 'no-cache' : 'public, max-age=31536000',
      Vary: 'Accept-Encoding',
      ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
    });
    res.end(gzip ? gzipped.get(name) : body);
  });
  return new Promise((ready, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ready({ stop: () => new Promise((done) => server.close(done)) }));
  });
}

/**
 * What a page's cold load of /auth/login fetched from its own origin, each response's body
 * compressed with brotli -q 11 as sizes.mjs does with the app's files: the same measure for a page
 * from a build directory (the app, the references) and one a framework serves (the seed).
 */
async function loadedBytes(browser, origin) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const bodies = [];
  page.on('response', (response) => {
    if (new URL(response.url()).origin === origin) bodies.push(response.body().then((body) => ({ url: response.url(), body }), () => null));
  });
  await page.goto(`${origin}/auth/login`, { waitUntil: 'load' });
  await page.waitForTimeout(2_000);
  const files = (await Promise.all(bodies)).filter(Boolean).map(({ url, body }) => ({
    file: new URL(url).pathname,
    raw: body.length,
    brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }).length,
  }));
  await context.close();
  // The app's chunks of the other pages (src/lazy), fetched once the form is live and the browser
  // idle: counted apart from what the page needs.
  const idle = files.filter((f) => LAZY_CHUNK.test(f.file));
  const needed = files.filter((f) => !LAZY_CHUNK.test(f.file));
  const sum = (list, key) => list.reduce((s, f) => s + f[key], 0);
  return { requests: needed.length, raw: sum(needed, 'raw'), brotli: sum(needed, 'brotli'), idleBrotli: sum(idle, 'brotli'), files };
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const summary = (values) => ({
  median: percentile(values, 50),
  p10: percentile(values, 10),
  p90: percentile(values, 90),
  n: values.length,
});

/**
 * Code size per crate and the largest functions of the main wasm (what /auth/login loads), split
 * off cargo's output again as scripts/wasm.mjs does, before wasm-bindgen and wasm-opt (it has
 * names).
 */
async function wasmBreakdown() {
  const built = join(process.env.BENCH_TARGET_DIR ?? join(ROOT, 'target'), 'split/wasm32-unknown-unknown/release/strapi-login.wasm');
  const split = await mkdtemp(join(tmpdir(), 'strapi-login-bench-split-'));
  // An unsplit build (before src/lazy; to compare with) had Trunk's wasm-bindgen output instead.
  const unsplit = join(process.env.BENCH_TARGET_DIR ?? join(ROOT, 'target'), 'wasm-bindgen/release/strapi-login_bg.wasm');
  const named = await access(built).then(
    async () => (await run('wasm-split-cli', ['--target', 'web', '--out-name', 'main', built, split]), join(split, 'main.wasm')),
    () => unsplit,
  );
  const { stdout } = await run('twiggy', ['top', '-n', '100000', '--format', 'json', named], { maxBuffer: 1 << 28 });
  await rm(split, { recursive: true, force: true });
  const items = JSON.parse(stdout).filter((i) => !i.name.includes('"function names" subsection'));
  const crateOf = (name) => {
    if (name.startsWith('data segment')) return '(data)';
    const path = name.replace(/^(<|&mut |&|dyn |impl )+/g, '');
    const crate = path.split(/::|\[| |</)[0];
    return /^[a-z_][a-z0-9_]*$/.test(crate) ? crate : '(other)';
  };
  const crates = new Map();
  for (const item of items) crates.set(crateOf(item.name), (crates.get(crateOf(item.name)) ?? 0) + item.shallow_size);
  const code = items.reduce((sum, i) => sum + i.shallow_size, 0);
  return {
    bytesBeforeWasmOpt: code,
    crates: [...crates].sort((a, b) => b[1] - a[1]).map(([crate, bytes]) => ({ crate, bytes })),
    functions: items.slice(0, 15).map((i) => ({ name: i.name.replace(/::h[0-9a-f]{16}$/, ''), bytes: i.shallow_size })),
  };
}

/**
 * One cold load of /auth/login in a fresh context with the cache disabled: first contentful paint,
 * DOMContentLoaded, the form visible (Element Timing of its button, `elementtiming="form"` on the
 * app and the two pages built here; on the seed's page, which cannot carry it, set by this script
 * as the parser inserts the button), and ready: the form's handlers live (the `login-ready` mark;
 * on the seed's page Next.js's own `afterHydrate` mark, made once React has hydrated the page).
 */
async function coldLoad(browser, origin, throttle = null) {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => {
      window.__wasmMemory = e.detail.wasm.memory.buffer.byteLength;
    });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (entry.identifier === 'form') window.__formVisible ??= entry.renderTime;
    }).observe({ type: 'element', buffered: true });
    // Next.js clears its marks right after making them: an observer still sees them.
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (entry.name === 'login-ready' || entry.name === 'afterHydrate') window.__ready ??= entry.startTime;
    }).observe({ type: 'mark', buffered: true });
    // The seed's button, in its HTML: marked as the parser inserts it, before its first paint.
    const mark = new MutationObserver(() => {
      if (document.querySelector('[elementtiming=form]')) return mark.disconnect();
      const submit = document.querySelector('button[type=submit]');
      if (submit === null) return;
      submit.setAttribute('elementtiming', 'form');
      mark.disconnect();
    });
    mark.observe(document, { childList: true, subtree: true });
    addEventListener('DOMContentLoaded', () => mark.disconnect());
  });
  const page = await context.newPage();
  const cdp = await throttled(context, page, throttle);
  await page.goto(`${origin}/auth/login`);
  await page.waitForFunction(
    () =>
      window.__ready !== undefined &&
      performance.getEntriesByName('first-contentful-paint').length > 0 &&
      window.__formVisible !== undefined,
    null,
    { timeout: 60_000 },
  );
  const timing = await page.evaluate(() => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
    dcl: performance.getEntriesByType('navigation')[0].domContentLoadedEventStart,
    visible: window.__formVisible,
    ready: window.__ready,
    wasmMemory: window.__wasmMemory,
  }));
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  await context.close();
  return { ...timing, jsHeap: heap.usedSize };
}

/** Logs in on the open login page: click → dashboard showing the user, and how much of it Strapi spent. */
async function timedLogin(page) {
  await page.getByLabel('Email or username').fill(DEMO.email);
  await page.getByLabel('Password').fill(DEMO.password);
  const result = await page.evaluate(
    (username) =>
      new Promise((done) => {
        performance.clearResourceTimings();
        const done_ = () => {
          const end = performance.now();
          // Strapi's time, network included (loopback): every API request of the round trip.
          const api = performance
            .getEntriesByType('resource')
            .filter((e) => e.initiatorType === 'fetch' && !e.name.startsWith(location.origin)); // not the app's chunks
          done({ total: end - start, strapi: api.reduce((sum, e) => sum + e.duration, 0), requests: api.length });
        };
        const watch = new MutationObserver(() => {
          if (document.body.textContent.includes(`You are logged in as ${username}.`)) {
            watch.disconnect();
            done_();
          }
        });
        watch.observe(document.body, { childList: true, subtree: true, characterData: true });
        const start = performance.now();
        document.querySelector('button[type=submit]').click();
      }),
    DEMO.username,
  );
  return { ...result, client: result.total - result.strapi };
}

/**
 * A login on a freshly loaded page, then, after logging out, a second one in the same page: the
 * first pays for first calls (wasm functions compiled on first use, a CORS preflight), the second
 * shows the app's own steady-state work.
 */
async function loginRoundTrip(browser, origin, throttle = null) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await throttled(context, page, throttle);
  await page.goto(`${origin}/auth/login`);
  await page.waitForFunction(() => performance.getEntriesByName('login-ready').length > 0, null, { timeout: 60_000 });
  // A person takes longer than this to type an address and a password (and the app uses that
  // time: src/rehearsal.rs); the second login gets the same pause.
  await page.waitForTimeout(TYPING_MS);
  const first = await timedLogin(page);
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByLabel('Password').waitFor();
  await page.waitForTimeout(TYPING_MS);
  const again = await timedLogin(page);
  await context.close();
  return { ...first, again };
}

/**
 * The account page opened directly (a reload on /dashboard, a link from a mail) in a fresh context
 * with the cache disabled and a stored session: ms from navigation until it shows the person.
 */
async function dashboardLoad(browser, origin, jwt, throttle = null) {
  const context = await browser.newContext();
  await context.addInitScript((token) => localStorage.setItem('token', token), jwt);
  const page = await context.newPage();
  await throttled(context, page, throttle);
  await page.goto(`${origin}/dashboard`, { waitUntil: 'commit' });
  const shown = await page.waitForFunction(
    (username) => document.body?.textContent.includes(`You are logged in as ${username}.`) && performance.now(),
    DEMO.username,
    { timeout: 60_000, polling: 'raf' },
  );
  const ms = await shown.jsonValue();
  await context.close();
  return ms;
}

// The reference pages first: a seed that fails to start stops the run before Strapi starts.
const servers = await Promise.all(
  REFERENCES.map((r) => (r.name === 'seed' ? serveSeed(SEED_DIR, r.port) : serveGzipped(join(REFERENCE_DIR, r.name), r.port))),
);
const strapi = await startStrapi({ port: STRAPI_PORT, origins: [`http://127.0.0.1:${APP_PORT}`] });
const app = await serveWithNginx({ port: APP_PORT, strapiUrl: strapi.url });
const browser = await launchBrowser();
try {
  const files = await loginAssets(join(ROOT, 'dist'));
  const wasm = await wasmBreakdown();
  // Each round loads the four pages, in an order that rotates, so drift hits them alike.
  const pages = [{ name: 'app', origin: app.origin }, ...REFERENCES.map((r) => ({ name: r.name, origin: `http://127.0.0.1:${r.port}` }))];
  // What each page loads, as the browser fetched it (this also warms servers and browser).
  const loaded = new Map();
  for (const { name, origin } of pages) loaded.set(name, await loadedBytes(browser, origin));
  for (const { origin } of pages) await coldLoad(browser, origin); // warm servers and browser, not measured
  const sideBySide = async (rounds, throttle) => {
    const byPage = new Map(pages.map((p) => [p.name, []]));
    for (let i = 0; i < rounds; i++) {
      for (let k = 0; k < pages.length; k++) {
        const { name, origin } = pages[(i + k) % pages.length];
        byPage.get(name).push(await coldLoad(browser, origin, throttle));
      }
    }
    const loadSummary = (loads) => ({
      firstContentfulPaintMs: summary(loads.map((l) => l.fcp)),
      domContentLoadedMs: summary(loads.map((l) => l.dcl)),
      formVisibleMs: summary(loads.map((l) => l.visible)),
      loginReadyMs: summary(loads.map((l) => l.ready)),
      jsHeapBytes: summary(loads.map((l) => l.jsHeap)),
    });
    return {
      app: { ...loadSummary(byPage.get('app')), wasmMemoryBytes: summary(byPage.get('app').map((l) => l.wasmMemory)) },
      references: REFERENCES.map((r) => ({
        name: r.name,
        page: r.page,
        loaded: loaded.get(r.name),
        ...loadSummary(byPage.get(r.name)),
      })),
    };
  };
  const jwt = (await (await fetch(`${strapi.api}/auth/local`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ identifier: DEMO.email, password: DEMO.password }),
  })).json()).jwt;
  const dashboardLoads = async (rounds, throttle) => {
    const times = [];
    for (let i = 0; i < rounds; i++) times.push(await dashboardLoad(browser, app.origin, jwt, throttle));
    return summary(times);
  };
  const loginRounds = async (rounds, throttle) => {
    const logins = [];
    for (let i = 0; i < rounds; i++) logins.push(await loginRoundTrip(browser, app.origin, throttle));
    return {
      totalMs: summary(logins.map((l) => l.total)),
      strapiMs: summary(logins.map((l) => l.strapi)),
      clientMs: summary(logins.map((l) => l.client)),
      againTotalMs: summary(logins.map((l) => l.again.total)),
      againClientMs: summary(logins.map((l) => l.again.client)),
      requests: logins[0]?.requests,
    };
  };
  const unthrottled = await sideBySide(LOADS, null);
  const slow = await sideBySide(THROTTLED_LOADS, THROTTLED);

  const result = {
    date: new Date().toISOString(),
    build: process.env.BENCH_BUILD ?? 'release: stable, trunk build --release',
    machine: { cpu: cpus()[0].model, cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), chromium: browser.version() },
    files,
    total: total(files),
    loaded: loaded.get('app'),
    wasm,
    coldLoad: unthrottled.app,
    references: unthrottled.references,
    throttled: { profile: THROTTLED, coldLoad: slow.app, references: slow.references },
    loginRoundTrip: await loginRounds(LOGINS, null),
    throttledLoginRoundTrip: await loginRounds(THROTTLED_LOGINS, THROTTLED),
    dashboardLoad: await dashboardLoads(LOADS, null),
    throttledDashboardLoad: await dashboardLoads(THROTTLED_LOADS, THROTTLED),
  };

  const sideBySideTable = (appLoads, references) => {
    const rows = [{ name: 'this app', loaded: result.loaded, ...appLoads }, ...references].map((r) => {
      const cell = (m) => `${r[m].median.toFixed(1)} (${r[m].p10.toFixed(1)}–${r[m].p90.toFixed(1)})`;
      return `| ${r.name}${r.page ? `: ${r.page}` : ''} | ${r.loaded.brotli} | ${cell('firstContentfulPaintMs')} | ${cell('domContentLoadedMs')} | ${cell('formVisibleMs')} | ${cell('loginReadyMs')} | ${(r.jsHeapBytes.median / 1024).toFixed(0)} KiB |`;
    });
    return `| page | brotli bytes | FCP median (p10–p90), ms | DOMContentLoaded, ms | form visible, ms | ready (handlers live), ms | JS heap median |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}`;
  };
  // The issue's five figures per page, then each as a ratio to the seed's and to the floor's.
  const ratioTable = () => {
    const pageFigures = (name, loaded, cold, slow) => ({
      name,
      figures: [
        loaded.brotli,
        cold.firstContentfulPaintMs.median,
        cold.loginReadyMs.median,
        slow.firstContentfulPaintMs.median,
        slow.loginReadyMs.median,
      ],
    });
    const reference = (name) => {
      const at = REFERENCES.findIndex((r) => r.name === name);
      return pageFigures(name, result.references[at].loaded, result.references[at], result.throttled.references[at]);
    };
    const app = pageFigures('this app', result.loaded, result.coldLoad, result.throttled.coldLoad);
    const [seed, floor, leptos] = [reference('seed'), reference('floor'), reference('leptos-form')];
    seed.name = 'seed (Next.js)';
    floor.name = 'plain form (floor)';
    leptos.name = 'smallest Leptos form';
    const absolute = (p) => `| ${p.name} | ${p.figures.map((f, i) => (i === 0 ? f.toLocaleString('en-US') : `${Math.round(f).toLocaleString('en-US')} ms`)).join(' | ')} |`;
    const ratio = (a, b) => `| ${a.name} ÷ ${b.name} | ${a.figures.map((f, i) => `${(f / b.figures[i]).toFixed(2)} ×`).join(' | ')} |`;
    return `| /auth/login | bytes (brotli) | first paint | interactive | throttled first paint | throttled interactive |
| --- | ---: | ---: | ---: | ---: | ---: |
${[app, seed, floor, leptos].map(absolute).join('\n')}
${[ratio(app, seed), ratio(app, floor), ratio(seed, floor), ratio(leptos, seed), ratio(leptos, floor)].join('\n')}

Bytes: what the page needs; the app then fetches the chunks of its other pages once the form is
live and the browser idle (src/lazy): ${result.loaded.idleBrotli.toLocaleString('en-US')} bytes more.`;
  };
  const loginTable = (r, n) => `| metric (${n} logins) | median | p10 | p90 |
| --- | ---: | ---: | ---: |
| total, ms | ${ms(r.totalMs)} |
| Strapi (Resource Timing of its ${r.requests} requests), ms | ${ms(r.strapiMs)} |
| client-side work (total − Strapi), ms | ${ms(r.clientMs)} |
| a second login in the same page (after logging out): total, ms | ${ms(r.againTotalMs)} |
| … its client-side work, ms | ${ms(r.againClientMs)} |
| first ÷ second client-side work | ${(r.clientMs.median / r.againClientMs.median).toFixed(2)} | | |`;
  const ms = (s) => `${s.median.toFixed(1)} | ${s.p10.toFixed(1)} | ${s.p90.toFixed(1)}`;
  const kib = (s) => `${(s.median / 1024).toFixed(0)} KiB | ${(s.p10 / 1024).toFixed(0)} KiB | ${(s.p90 / 1024).toFixed(0)} KiB`;
  console.log(`# Benchmark, ${result.date}

${result.machine.cpu}, ${result.machine.cores} cores, ${result.machine.memoryGiB} GiB; Chromium ${result.machine.chromium}

Build: ${result.build}

## What /auth/login loads

${sizeTable(files)}

## The main wasm by crate (${wasm.bytesBeforeWasmOpt} bytes of code and data before wasm-opt)

| crate | bytes | share |
| --- | ---: | ---: |
${wasm.crates.slice(0, 15).map((c) => `| ${c.crate} | ${c.bytes} | ${((100 * c.bytes) / wasm.bytesBeforeWasmOpt).toFixed(1)} % |`).join('\n')}

Largest functions:

| function | bytes |
| --- | ---: |
${wasm.functions.map((f) => `| \`${f.name.slice(0, 110)}\` | ${f.bytes} |`).join('\n')}

## Cold loads of /auth/login (${LOADS}, new context, cache disabled)

| metric | median | p10 | p90 |
| --- | ---: | ---: | ---: |
| first contentful paint, ms | ${ms(result.coldLoad.firstContentfulPaintMs)} |
| form visible (its button painted), ms | ${ms(result.coldLoad.formVisibleMs)} |
| login-ready (form mounted, handlers live), ms | ${ms(result.coldLoad.loginReadyMs)} |
| JS heap after GC | ${kib(result.coldLoad.jsHeapBytes)} |
| WebAssembly memory | ${kib(result.coldLoad.wasmMemoryBytes)} |

## Against the seed and the floor (medians; ${LOADS} and ${THROTTLED_LOADS} rounds of interleaved cold loads)

First paint: first contentful paint; interactive: the form's handlers live (the \`login-ready\` mark;
the seed's: Next.js's \`afterHydrate\`); throttled: 4× CPU, slow 4G. Bytes: what each page fetched
from its origin, every response's body at brotli -q 11. Served: the app by nginx with deploy/nginx
(gzip), the seed by \`next start\` (gzip), the two others gzip -6.

${ratioTable()}

## Side by side (the same ${LOADS} rounds of interleaved cold loads)

${sideBySideTable(result.coldLoad, result.references)}

## Side by side, throttled (${THROTTLED_LOADS} rounds: 4× CPU, slow 4G)

${sideBySideTable(result.throttled.coldLoad, result.throttled.references)}

## Login round trips (click → dashboard showing the user, real Strapi)

${loginTable(result.loginRoundTrip, LOGINS, '')}

Throttled (4× CPU, slow 4G):

${loginTable(result.throttledLoginRoundTrip, THROTTLED_LOGINS, ' (throttled)')}

## The dashboard opened directly (a reload on /dashboard with a session: navigation → the person shown)

| loads | median | p10 | p90 |
| --- | ---: | ---: | ---: |
| ${LOADS}, unthrottled | ${ms(result.dashboardLoad)} |
| ${THROTTLED_LOADS}, throttled | ${ms(result.throttledDashboardLoad)} |

\`\`\`json
${JSON.stringify(result)}
\`\`\``);
} finally {
  await browser.close();
  for (const server of servers) await server.stop();
  await app.stop();
  await strapi.stop();
}
