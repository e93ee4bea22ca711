// Pre-renders the login page, once per language the build ships: the app itself, run in headless
// Chromium over the build with the browser set to that language, draws `/auth/login`, and its
// markup is written into a copy of index.html: `auth/login.html` in English (what static hosts serve
// at /auth/login: nginx `try_files $uri $uri.html`, scripts/serve-dist.mjs, the "pretty URL" rule of
// most static hosts) and `auth/login.<code>.html` for each other language (`i18n/<code>.json`), which
// the nginx config picks by the visitor's Accept-Language (deploy/nginx/strapi-login-languages.conf).
// The form then paints with the HTML alone, in the visitor's language, before any JavaScript or
// WebAssembly has arrived; the app takes it over when it starts (src/prerendered.rs), keeping what
// the person typed, the focus and the caret. Every other path keeps index.html and so never shows
// the login form, not even for a moment.
//
// Each page carries the stylesheet inline (one round trip to a painted form, not two), allowed by
// its hash in the Content-Security-Policy: the hash is written to `.nginx/strapi-login-styles.conf`
// (an nginx `set` the site config includes) and to `.nginx/style-hashes.txt` for other hosts. A
// page in another language also preloads its catalog, which the app fetches before it starts.
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
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { serve } from './serve-dist.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const PRERENDERED_PATH = '/auth/login';

/** The languages `dir` ships: English, and each `i18n/<code>.json`. */
export async function shippedLanguages(dir) {
  const files = await readdir(join(dir, 'i18n')).catch(() => []);
  return ['en', ...files.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort()];
}

/** The file of `path` pre-rendered in `language`: `auth/login.html` in English, `auth/login.de.html`. */
export function pageFile(dir, path, language) {
  return join(dir, language === 'en' ? `${path}.html` : `${path}.${language}.html`);
}

/** The `'sha256-…'` source of a CSP that allows an inline `<style>` holding exactly `css`. */
export function styleHash(css) {
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
}

/** Draws `path` with the app built in `dir`, in every language it ships; returns the files written. */
export async function prerender(dir, path = PRERENDERED_PATH) {
  // playwright-core is the end-to-end tests' browser driver (scripts/setup.sh installs it).
  const playwright = join(ROOT, 'tests/e2e/node_modules/playwright-core/index.mjs');
  const { chromium } = await import(pathToFileURL(playwright).href).catch((err) => {
    throw new Error(`cannot load playwright-core (scripts/setup.sh installs it): ${err.message}`);
  });
  const index = await readFile(join(dir, 'index.html'), 'utf8');
  // Trunk's minified `<link>`: attributes in any order, quoted or not.
  const stylesheet = [...index.matchAll(/<link\b[^>]*>/gi)]
    .map(([tag]) => ({ tag, href: tag.match(/\bhref=["']?\/([^"' >]+\.css)/i)?.[1] }))
    .find(({ tag, href }) => href && /\brel=["']?stylesheet\b/i.test(tag));
  if (!stylesheet) throw new Error('index.html links no stylesheet to inline');
  const css = await readFile(join(dir, stylesheet.href), 'utf8');
  const server = await serve(dir, 0);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  const written = [];
  try {
    for (const language of await shippedLanguages(dir)) {
      const context = await browser.newContext({ locale: language });
      const drawn = await draw(await context.newPage(), origin, path, language);
      await context.close();
      let html = index
        .replace(/<html[^>]*>/i, () => `<html lang="${drawn.lang}" dir="${drawn.dir}">`)
        .replace(/<title>[^<]*<\/title>/i, () => `<title>${escapeHtml(drawn.title)}</title>`)
        // The stylesheet inline: allowed by its hash (below), no second request before the paint.
        .replace(stylesheet.tag, () => `<style>${css}</style>`);
      if (language !== 'en') {
        // The app fetches the catalog before it starts: asked for with the page, not after the wasm.
        const preload = `<link rel="preload" href="/i18n/${language}.json" as="fetch" crossorigin>`;
        html = html.replace('</head>', () => `${preload}</head>`);
      }
      const body = html.match(/<body[^>]*>/i);
      if (!body) throw new Error('index.html has no <body>');
      const at = body.index + body[0].length;
      const file = pageFile(dir, path, language);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, html.slice(0, at) + drawn.markup + html.slice(at));
      written.push(file);
    }
  } finally {
    await browser.close();
    server.close();
  }
  const hash = styleHash(css);
  await mkdir(join(dir, '.nginx'), { recursive: true });
  await writeFile(
    join(dir, '.nginx/strapi-login-styles.conf'),
    `# Written by scripts/prerender.mjs: the pre-rendered pages' inline stylesheet, allowed by its hash\n` +
      `# in the Content-Security-Policy (deploy/nginx/strapi-login-headers.conf). Included by the site config.\n` +
      `set $strapi_login_style_hashes "${hash}";\n`,
  );
  await writeFile(join(dir, '.nginx/style-hashes.txt'), `${hash}\n`);
  return written;
}

/** The app's drawing of `path` in `language`: its markup, made safe to show before the app runs. */
async function draw(page, origin, path, language) {
  // Only the app's own files: nothing the app might ask Strapi can change what is drawn.
  await page.route((url) => !url.href.startsWith(origin), (route) => route.abort());
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(origin + path);
  await page
    .waitForFunction(() => performance.getEntriesByName('login-ready').length > 0, null, { timeout: 30_000 })
    .catch((err) => {
      throw new Error(`the app did not draw ${path} in ${language}: ${errors.join('; ') || err.message}`);
    });
  const drawn = await page.evaluate(() => {
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
    const root = document.documentElement;
    return { markup: wrapper.outerHTML, lang: root.lang, dir: root.dir || 'ltr', title: document.title };
  });
  if (drawn.lang !== language) throw new Error(`asked for ${language}, the app drew ${drawn.lang}`);
  return drawn;
}

function escapeHtml(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: node scripts/prerender.mjs <dir>');
  console.log(`pre-rendered ${(await prerender(dir)).join(', ')}`);
}
