// Trunk post-build hook: builds the wasm (scripts/wasm.mjs: Trunk's own Rust pipeline is skipped,
// because it cannot split the release build into chunks) and starts it with a loader of its own, in
// a content-hashed file:
//
// - no inline script, so the app runs under a Content-Security-Policy with `script-src 'self'` and
//   no 'unsafe-inline' or hashes to maintain;
// - the wasm is compiled while the JS glue is still being fetched and parsed, not after (both are
//   preloaded from index.html; compiling is what the browser otherwise waits for);
// - if the app cannot load (a broken deploy, a dropped connection) the person is told so instead of
//   looking at an empty page.
//
// On the pre-rendered login page (scripts/prerender.mjs, run last) the loader also holds on to a
// login the person asks for before the app has started: Enter or a click on the button marks the
// form, the button shows it is waiting, and the app submits it when it takes over.
//
// Release builds also minify the JS with terser (installed by scripts/setup.sh). Measured in
// BENCHMARKS.md.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { prerender } from './prerender.mjs';
import { buildWasm, integrity, minify, shortHash } from './wasm.mjs';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('run by Trunk as a post_build hook (TRUNK_STAGING_DIR is not set)');
const release = process.env.TRUNK_PROFILE === 'release';

const index = join(dir, 'index.html');
let html = await readFile(index, 'utf8');
// What Trunk leaves of the skipped Rust link.
const skipped = /<link\b[^>]*\bdata-trunk-skip\b[^>]*>/i;
if (!skipped.test(html)) throw new Error('index.html has no <link data-trunk rel="rust" data-trunk-skip> to build');

const { glue, wasm, modules, chunks } = await buildWasm(dir, { release });

// A page opened directly (a reload, a link from a mail) fetches its chunk beside the main wasm,
// not once the app has started and asked for it: the loader preloads it, by the table the app
// itself follows (src/lazy/pages.json; a test in src/lazy keeps the two in step).
const pages = JSON.parse(await readFile(new URL('../src/lazy/pages.json', import.meta.url), 'utf8'));
const chunkOfPath = Object.entries(pages).flatMap(([chunk, prefixes]) => {
  if (!chunks[chunk] && release) throw new Error(`src/lazy/pages.json names a chunk the build has not: ${chunk}`);
  return chunks[chunk] ? [[prefixes, chunks[chunk]]] : [];
});
const preloadChunk = chunkOfPath.length === 0 ? '' : `const path = location.pathname;
for (const [prefixes, files] of ${JSON.stringify(chunkOfPath)}) {
  if (!prefixes.some((prefix) => path === prefix || path.startsWith(prefix + '/'))) continue;
  for (const href of files) {
    const link = document.createElement('link');
    Object.assign(link, { rel: 'preload', as: 'fetch', href, crossOrigin: 'anonymous' });
    document.head.append(link);
  }
}
`;

/** The code minified by terser in release builds, as it is otherwise. */
const minified = (code) => (release ? minify(code) : code);

const loader = minified(`// Written by scripts/post-build.mjs.
${preloadChunk}const early = document.querySelector('#prerendered form');
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
const name = `loader-${shortHash(loader)}.js`;
await writeFile(join(dir, name), loader);
// The JS modules with their integrity (the chunks' loader too: the glue imports it), the wasm
// fetched as a stream, then the loader, with its integrity. (Chrome ignores `integrity` on a
// preload `as=fetch`, and says so in the console: the wasm has none.)
const preloads = [
  ...modules.map(({ url, integrity }) => `<link rel="modulepreload" href="${url}" crossorigin="anonymous" integrity="${integrity}">`),
  `<link rel="preload" href="${wasm}" as="fetch" type="application/wasm" crossorigin="anonymous">`,
  `<script type="module" src="/${name}" integrity="${integrity(loader)}"></script>`,
];
await writeFile(index, html.replace(skipped, preloads.join('')));

// Last, with the final index.html: the login page's markup, drawn by the app itself. Release builds
// only: `trunk serve` answers every route with index.html anyway, and a development rebuild should
// not wait for a browser.
if (release) await prerender(dir);

