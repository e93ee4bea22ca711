// The benchmark: what /auth/login costs in bytes, in load time, in memory, and in client-side work
// during a login round trip against a real Strapi. It reports; it asserts nothing.
//
//   scripts/bench.sh [--loads N] [--logins N] [--throttled-loads N] [--throttled-logins N]
//                                                  (builds the release app first)
//
// The cold loads are interleaved with those of two reference pages (scripts/build-references.sh):
// a plain HTML form (the floor) and the smallest Leptos form, so the app's numbers can be read
// against what any page, and any Leptos page, costs on the same machine in the same minute. Every
// measurement runs twice: as the machine is, and throttled over DevTools the way Lighthouse's
// mobile profile is (4× slower CPU, "slow 4G": 562.5 ms round trips, 1.47 Mbit/s down).
//
// Prints a markdown report and, last, the same numbers as one JSON document.
import { execFile } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { serve } from '../scripts/serve-dist.mjs';
import { DEMO, launchBrowser, serveApp, startStrapi } from '../tests/e2e/harness.mjs';
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
const APP_PORT = 3190;
const STRAPI_PORT = 1490;
const REFERENCES = [
  { name: 'floor', page: 'a plain HTML form and a few lines of JavaScript', port: 3191 },
  { name: 'leptos-form', page: 'the smallest Leptos 0.8 login form (no router, HTTP or JSON)', port: 3192 },
];
const REFERENCE_DIR = process.env.BENCH_REFERENCE_DIR ?? join(ROOT, 'target/bench-reference');

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

/** Code size per crate and the largest functions, from the wasm before wasm-opt (it has names). */
async function wasmBreakdown() {
  const named = join(process.env.BENCH_TARGET_DIR ?? join(ROOT, 'target'), 'wasm-bindgen/release/strapi-login_bg.wasm');
  const { stdout } = await run('twiggy', ['top', '-n', '100000', '--format', 'json', named], { maxBuffer: 1 << 28 });
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
 * the form visible (Element Timing of its button, `elementtiming="form"` on all three pages), and
 * login-ready (the form's handlers live).
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
  });
  const page = await context.newPage();
  const cdp = await throttled(context, page, throttle);
  await page.goto(`${origin}/auth/login`);
  await page.waitForFunction(
    () =>
      performance.getEntriesByName('login-ready').length > 0 &&
      performance.getEntriesByName('first-contentful-paint').length > 0 &&
      window.__formVisible !== undefined,
    null,
    { timeout: 60_000 },
  );
  const timing = await page.evaluate(() => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
    visible: window.__formVisible,
    ready: performance.getEntriesByName('login-ready')[0].startTime,
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
          const api = performance.getEntriesByType('resource').filter((e) => e.initiatorType === 'fetch');
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

const strapi = await startStrapi({ port: STRAPI_PORT, origins: [`http://127.0.0.1:${APP_PORT}`] });
const app = await serveApp({ port: APP_PORT, strapiUrl: strapi.url });
const servers = await Promise.all(REFERENCES.map((r) => serve(join(REFERENCE_DIR, r.name), r.port)));
const browser = await launchBrowser();
try {
  const files = await loginAssets(join(ROOT, 'dist'));
  const wasm = await wasmBreakdown();
  // Each round loads the three pages, in an order that rotates, so drift hits them alike.
  const pages = [{ name: 'app', origin: app.origin }, ...REFERENCES.map((r) => ({ name: r.name, origin: `http://127.0.0.1:${r.port}` }))];
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
      formVisibleMs: summary(loads.map((l) => l.visible)),
      loginReadyMs: summary(loads.map((l) => l.ready)),
      jsHeapBytes: summary(loads.map((l) => l.jsHeap)),
    });
    return {
      app: { ...loadSummary(byPage.get('app')), wasmMemoryBytes: summary(byPage.get('app').map((l) => l.wasmMemory)) },
      references: await Promise.all(
        REFERENCES.map(async (r) => ({
          name: r.name,
          page: r.page,
          total: total(await loginAssets(join(REFERENCE_DIR, r.name))),
          ...loadSummary(byPage.get(r.name)),
        })),
      ),
    };
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
    wasm,
    coldLoad: unthrottled.app,
    references: unthrottled.references,
    throttled: { profile: THROTTLED, coldLoad: slow.app, references: slow.references },
    loginRoundTrip: await loginRounds(LOGINS, null),
    throttledLoginRoundTrip: await loginRounds(THROTTLED_LOGINS, THROTTLED),
  };

  const sideBySideTable = (appLoads, references) => {
    const floor = references.find((r) => r.name === 'floor');
    const rows = [{ name: 'this app', total: result.total, ...appLoads }, ...references].map((r) => {
      const cell = (m) => `${r[m].median.toFixed(1)} (${r[m].p10.toFixed(1)}–${r[m].p90.toFixed(1)})`;
      const vsFloor = (r.firstContentfulPaintMs.median / floor.firstContentfulPaintMs.median).toFixed(2);
      return `| ${r.name}${r.page ? `: ${r.page}` : ''} | ${r.total.brotli} | ${cell('firstContentfulPaintMs')} | ${vsFloor} | ${cell('formVisibleMs')} | ${cell('loginReadyMs')} | ${(r.jsHeapBytes.median / 1024).toFixed(0)} KiB |`;
    });
    return `| page | brotli bytes | FCP median (p10–p90), ms | FCP ÷ floor's | form visible, ms | login-ready, ms | JS heap median |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}`;
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

## The wasm by crate (${wasm.bytesBeforeWasmOpt} bytes of code and data before wasm-opt)

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

## Side by side (the same ${LOADS} rounds of interleaved cold loads)

${sideBySideTable(result.coldLoad, result.references)}

## Side by side, throttled (${THROTTLED_LOADS} rounds: 4× CPU, slow 4G)

${sideBySideTable(result.throttled.coldLoad, result.throttled.references)}

## Login round trips (click → dashboard showing the user, real Strapi)

${loginTable(result.loginRoundTrip, LOGINS, '')}

Throttled (4× CPU, slow 4G):

${loginTable(result.throttledLoginRoundTrip, THROTTLED_LOGINS, ' (throttled)')}

\`\`\`json
${JSON.stringify(result)}
\`\`\``);
} finally {
  await browser.close();
  for (const server of servers) server.close();
  await app.stop();
  await strapi.stop();
}
