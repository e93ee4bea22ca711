// Trunk post-build hook. Trunk writes an inline <script type="module"> into index.html that imports
// the wasm-bindgen JS glue and only then starts the wasm. This hook replaces it with a loader of its
// own, in a content-hashed file:
//
// - no inline script, so the app runs under a Content-Security-Policy with `script-src 'self'` and
//   no 'unsafe-inline' or hashes to maintain;
// - the wasm is compiled while the glue is still being fetched and parsed, not after (both are
//   preloaded from index.html; compiling is what the browser otherwise waits for);
// - if the app cannot load (a broken deploy, a dropped connection) the person is told so instead of
//   looking at an empty page.
//
// On the pre-rendered login page (scripts/prerender.mjs, run last) the loader also holds on to a
// login the person asks for before the app has started: Enter or a click on the button marks the
// form, the button shows it is waiting, and the app submits it when it takes over.
//
// It also drops the wasm preload's `integrity`, which Chrome ignores with a console warning.
//
// Release builds also minify the glue with terser (installed by scripts/setup.sh) and rewrite its
// Subresource Integrity hash in index.html. Measured in BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { prerender } from './prerender.mjs';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('run by Trunk as a post_build hook (TRUNK_STAGING_DIR is not set)');
const release = process.env.TRUNK_PROFILE === 'release';

const index = join(dir, 'index.html');
let html = await readFile(index, 'utf8');
const inline = /<script type=["']?module["']?>([\s\S]*?)<\/script>/i;
const trunkLoader = html.match(inline)?.[1];
if (!trunkLoader) throw new Error('index.html has no inline module script to replace');
const glue = trunkLoader.match(/from\s+'([^']+\.js)'/)?.[1];
const wasm = trunkLoader.match(/module_or_path:\s*'([^']+\.wasm)'/)?.[1];
if (!glue || !wasm) throw new Error(`cannot find the glue and wasm URLs in Trunk's loader:\n${trunkLoader}`);

/** The code minified by terser in release builds, as it is otherwise. */
function minified(code) {
  if (!release) return code;
  try {
    return execFileSync('terser', ['--module', '--compress', '--mangle'], { input: code, encoding: 'utf8' });
  } catch (err) {
    throw new Error(`terser failed (scripts/setup.sh installs it): ${err.message}`);
  }
}

if (release) {
  const file = join(dir, glue.split('/').pop());
  const code = minified(await readFile(file, 'utf8'));
  await writeFile(file, code);
  const integrity = `sha384-${createHash('sha384').update(code).digest('base64')}`;
  const escaped = glue.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const preload = new RegExp(`(<link[^>]*href=["']?${escaped}["' ][^>]*integrity=["']?)sha384-[A-Za-z0-9+/=]+`);
  if (!preload.test(html)) throw new Error(`index.html has no preload with integrity for ${glue}`);
  html = html.replace(preload, `$1${integrity}`);
}

// Chrome ignores `integrity` on a preload `as=fetch` and says so in the console on every load
// ("…currently ignored for preload destinations that do not support subresource integrity").
html = html.replace(/(<link[^>]*\bas=["']?fetch\b[^>]*?)\s+integrity=["']?sha384-[A-Za-z0-9+/=]+["']?/, '$1');

const loader = minified(`// Written by scripts/post-build.mjs.
const early = document.querySelector('#prerendered form');
if (early) {
  const button = early.querySelector('[data-submit]');
  const wait = (event) => {
    event.preventDefault();
    early.dataset.queued = '';
    button.setAttribute('aria-busy', 'true');
    button.textContent = button.dataset.busy;
  };
  button.addEventListener('click', wait);
  early.addEventListener('keydown', (event) => {
    // Not the Enter that ends an input method's composition: that one submits nothing.
    if (event.key === 'Enter' && !event.isComposing && event.target.matches('input')) wait(event);
  });
}
const compiled = fetch(${JSON.stringify(wasm)}).then((answer) => {
  if (!answer.ok) throw new Error(\`the app's code answered \${answer.status}\`);
  return answer.headers.get('content-type')?.startsWith('application/wasm')
    ? WebAssembly.compileStreaming(answer)
    : answer.arrayBuffer().then((bytes) => WebAssembly.compile(bytes));
});
compiled.catch(() => {}); // reported below, through init, unless the glue failed first
try {
  const { default: init } = await import(${JSON.stringify(glue)});
  const wasm = await init({ module_or_path: compiled });
  dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
} catch (error) {
  // A form drawn at build time would only look usable: it goes.
  document.getElementById('prerendered')?.remove();
  const banner = document.createElement('p');
  banner.className = 'crash';
  banner.setAttribute('role', 'alert');
  banner.textContent = 'This page could not load. Check your connection and reload it.';
  document.body.prepend(banner);
  throw error;
}
`);
const name = `loader-${createHash('sha256').update(loader).digest('hex').slice(0, 16)}.js`;
await writeFile(join(dir, name), loader);
await writeFile(index, html.replace(inline, `<script type="module" src="/${name}"></script>`));

// Last, with the final index.html: the login page's markup, drawn by the app itself. Release builds
// only: `trunk serve` answers every route with index.html anyway, and a development rebuild should
// not wait for a browser.
if (release) await prerender(dir);

