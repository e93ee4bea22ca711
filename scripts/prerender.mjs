// Pre-renders the login page: the app itself, run once in headless Chromium over the build, draws
// `/auth/login`, and its markup is written into `auth/login.html`, a copy of index.html that static
// hosts serve at /auth/login (nginx `try_files $uri $uri.html`, scripts/serve-dist.mjs, and the
// "pretty URL" rule of most static hosts). The form then paints with the HTML and CSS alone, before
// any JavaScript or WebAssembly has arrived; the app takes it over when it starts (src/prerendered.rs),
// keeping what the person typed, the focus and the caret. Every other path keeps index.html and so
// never shows the login form, not even for a moment.
//
// The markup is the app's own output, not a copy that can drift. Two changes make it safe to show
// before the app runs:
// - its submit button becomes `type="button"`: with no submit button and two text fields, neither
//   Enter nor a click can send the form natively (a native submission would put the password in the
//   address bar). The loader (scripts/post-build.mjs) queues such an attempt instead, and the app
//   submits it once it has taken over;
// - it is wrapped in `<div id="prerendered">`, which the app removes when it mounts its own form.
//
// It renders what the build's configuration shows (the <meta> tags of index.html, the build-time
// STRAPI_* values), except the provider links, which hold the Strapi address: deploy/configure.sh
// sets the <meta> tags here too and removes "Create an account" when sign-up is off.
//
//   node scripts/prerender.mjs <dir>     (run by scripts/post-build.mjs for release builds)
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { serve } from './serve-dist.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const PRERENDERED_PATH = '/auth/login';

/** Draws `path` with the app built in `dir` and writes it to `dir${path}.html`. */
export async function prerender(dir, path = PRERENDERED_PATH) {
  // playwright-core is the end-to-end tests' browser driver (scripts/setup.sh installs it).
  const playwright = join(ROOT, 'tests/e2e/node_modules/playwright-core/index.mjs');
  const { chromium } = await import(pathToFileURL(playwright).href).catch((err) => {
    throw new Error(`cannot load playwright-core (scripts/setup.sh installs it): ${err.message}`);
  });
  const server = await serve(dir, 0);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    // Only the app's own files: nothing the app might ask Strapi can change what is drawn.
    await page.route((url) => !url.href.startsWith(origin), (route) => route.abort());
    const errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(origin + path);
    await page
      .waitForFunction(() => performance.getEntriesByName('login-ready').length > 0, null, { timeout: 30_000 })
      .catch((err) => {
        throw new Error(`the app did not draw ${path}: ${errors.join('; ') || err.message}`);
      });
    const markup = await page.evaluate(() => {
      const app = [...document.body.childNodes].filter((n) => !['SCRIPT', 'NOSCRIPT'].includes(n.nodeName));
      const wrapper = document.createElement('div');
      wrapper.id = 'prerendered';
      wrapper.className = 'prerendered';
      wrapper.append(...app);
      const forms = wrapper.querySelectorAll('form');
      if (forms.length !== 1) throw new Error(`expected one form, found ${forms.length}`);
      const submit = forms[0].querySelectorAll('[type=submit]');
      if (submit.length !== 1) throw new Error(`expected one submit button, found ${submit.length}`);
      if (!submit[0].dataset.busy) throw new Error('the submit button has no data-busy text');
      submit[0].type = 'button';
      submit[0].setAttribute('data-submit', '');
      // The app's live state, not markup: nothing typed, nothing pending.
      for (const input of wrapper.querySelectorAll('input')) input.removeAttribute('value');
      // Provider links carry the Strapi address, which an operator sets after the build: the app
      // adds them when it starts.
      for (const block of wrapper.querySelectorAll('.providers')) block.remove();
      // Leptos' placeholders are for its own DOM; the app draws its own anyway.
      const comments = document.createTreeWalker(wrapper, NodeFilter.SHOW_COMMENT);
      const placeholders = [];
      while (comments.nextNode()) placeholders.push(comments.currentNode);
      for (const node of placeholders) node.remove();
      return wrapper.outerHTML;
    });
    const index = await readFile(join(dir, 'index.html'), 'utf8');
    const body = index.match(/<body[^>]*>/i);
    if (!body) throw new Error('index.html has no <body>');
    const at = body.index + body[0].length;
    const file = join(dir, `${path}.html`);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, index.slice(0, at) + markup + index.slice(at));
    return file;
  } finally {
    await browser.close();
    server.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: node scripts/prerender.mjs <dir>');
  console.log(`pre-rendered ${await prerender(dir)}`);
}
