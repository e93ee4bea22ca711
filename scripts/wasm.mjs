// Builds the app's WebAssembly for Trunk, in place of Trunk's own Rust pipeline (index.html skips it
// with `data-trunk-skip`): Trunk cannot split a wasm (trunk-rs/trunk#1022), because the split must
// happen between the linker and wasm-bindgen, where no Trunk hook runs.
//
// Release (`trunk build --release`): the pages a login never needs are cut out of the main wasm
// (src/lazy; Leptos lazy routes):
//   cargo build --release --features split, linked with --emit-relocs (its own target dir: other
//     flags than the tests' builds)
//   → wasm-split-cli: the main wasm, one wasm per chunk of src/lazy, shared chunks, and the JS module
//     that fetches them
//   → wasm-bindgen --keep-lld-exports on the main wasm (the chunks call into it)
//   → wasm-opt -Oz --converge on every wasm, terser on the JS.
// Development (`trunk serve`): cargo build → wasm-bindgen, nothing split (the `split` feature off:
// its functions are ordinary ones) or optimised, as Trunk did.
//
// Every file gets a content-hashed name (nginx caches them for a year, deploy/nginx): each wasm its
// own hash; the two JS modules import each other, so they share one hash of the whole build, and a
// deploy never mixes the files of two builds.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// The tools scripts/setup.sh installs (as scripts/lib.sh puts them first on PATH), so a plain
// `trunk build --release` finds the pinned ones.
const TOOLS = join(process.env.STRAPI_LOGIN_TOOLS ?? join(homedir(), '.cache/strapi-login-tools'), 'bin');
const PATH = [TOOLS, join(homedir(), '.cargo/bin'), process.env.PATH].join(delimiter);
const BIN = 'strapi-login';
const TARGET = 'wasm32-unknown-unknown';

/** Runs a tool to its end, its output shown; rejects with what failed. */
function run(command, args, env = {}) {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, PATH, ...env } });
    child.on('error', (err) => fail(new Error(`${command} could not start (scripts/setup.sh installs it): ${err.message}`)));
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`${command} ${args.join(' ')} failed (${code})`))));
  });
}

const digest = (algorithm, ...parts) => {
  const hash = createHash(algorithm);
  for (const part of parts) hash.update(part);
  return hash;
};
/** The first 16 hex digits of the SHA-256 of `parts`: the hash in a content-hashed file name. */
export const shortHash = (...parts) => digest('sha256', ...parts).digest('hex').slice(0, 16);
/** The Subresource Integrity value of `bytes`. */
export const integrity = (bytes) => `sha384-${digest('sha384', bytes).digest('base64')}`;

/** `code` minified by terser (installed by scripts/setup.sh). */
export function minify(code) {
  try {
    const env = { ...process.env, PATH };
    return execFileSync('terser', ['--module', '--compress', '--mangle'], { input: code, encoding: 'utf8', env });
  } catch (err) {
    throw new Error(`terser failed (scripts/setup.sh installs it): ${err.message}`);
  }
}

/** `text` with `from` replaced by `to`, which must occur in it. */
function replaced(text, from, to, what) {
  if (!text.includes(from)) throw new Error(`${what} does not mention ${from}`);
  return text.replaceAll(from, to);
}

/**
 * Builds the wasm into `dir` (Trunk's staging dir). Returns the URLs index.html needs: `glue` (the
 * wasm-bindgen module to import), `wasm` (the main wasm), `modules` (every JS module the glue
 * loads, itself first, with their integrity) and `chunks` (each chunk of src/lazy by name, with
 * the wasm files it is fetched as; none in development builds).
 */
export async function buildWasm(dir, { release }) {
  const targetDir = process.env.CARGO_TARGET_DIR ? resolve(ROOT, process.env.CARGO_TARGET_DIR) : join(ROOT, 'target');
  const work = await mkdtemp(join(tmpdir(), 'strapi-login-wasm-'));
  try {
    const cargo = ['build', '--target', TARGET, '--bin', BIN];
    let built;
    if (release) {
      const splitTarget = join(targetDir, 'split');
      // Panic locations name files by path: relative ones, so the wasm is the same on every
      // machine (and smaller) whoever's home cargo's registry is in.
      const registry = join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'registry/src');
      const registries = await readdir(registry).catch(() => []);
      const remaps = [...registries.map((index) => `${join(registry, index)}/`), `${ROOT}/`].map((from) => `--remap-path-prefix=${from}=`);
      const rustflags = [process.env.RUSTFLAGS ?? '', '-Clink-args=--emit-relocs', ...remaps].join(' ').trim();
      await run('cargo', [...cargo, '--release', '--features', 'split', '--target-dir', splitTarget], { RUSTFLAGS: rustflags });
      built = join(splitTarget, TARGET, 'release', `${BIN}.wasm`);
    } else {
      await run('cargo', cargo);
      built = join(targetDir, TARGET, 'debug', `${BIN}.wasm`);
    }

    // The split: wasm-split-cli writes the main wasm under BIN's name.
    const split = join(work, 'split');
    if (release) await run('wasm-split-cli', ['--target', 'web', '--out-name', BIN, built, split]);
    const mainWasm = release ? join(split, `${BIN}.wasm`) : built;

    const bindgen = join(work, 'bindgen');
    const bindgenArgs = ['--target', 'web', '--no-typescript', '--out-dir', bindgen, '--out-name', BIN];
    if (release) bindgenArgs.push('--keep-lld-exports');
    await run('wasm-bindgen', [...bindgenArgs, mainWasm]);

    // Every wasm, as [name in the site, file]: the main one, then the chunks.
    const wasmFiles = [[BIN, join(bindgen, `${BIN}_bg.wasm`)]];
    const chunkNames = new Map(); // wasm-split's file name → ours, without the hash
    if (release) {
      for (const file of (await readdir(split)).sort()) {
        const lazy = file.match(/^split_(\w+)\.wasm$/)?.[1];
        const shared = file.match(/^chunk_(\d+)\.wasm$/)?.[1];
        const name = lazy ?? (shared && `shared-${shared}`);
        if (!name) continue;
        chunkNames.set(file, name);
        wasmFiles.push([name, join(split, file)]);
      }
      const optimised = join(work, 'optimised');
      await mkdir(optimised);
      await Promise.all(
        wasmFiles.map(([name, file], i) => {
          const out = join(optimised, `${name}.wasm`);
          wasmFiles[i][1] = out;
          return run('wasm-opt', [`--output=${out}`, '-Oz', file, '--converge']);
        }),
      );
    }

    // Content-hashed names.
    const bytes = await Promise.all(wasmFiles.map(([, file]) => readFile(file)));
    const hashed = wasmFiles.map(([name], i) => (i === 0 ? `${name}-${shortHash(bytes[i])}_bg.wasm` : `${name}-${shortHash(bytes[i])}.wasm`));
    // wasm-split's file name of each chunk → its hashed name.
    const hashedChunks = new Map([...chunkNames].map(([file, name]) => [file, hashed[wasmFiles.findIndex(([n]) => n === name)]]));
    let glue = await readFile(join(bindgen, `${BIN}.js`), 'utf8');
    let loader = release ? await readFile(join(split, '__wasm_split.js'), 'utf8') : null;
    // The two JS modules name each other: written with a placeholder for the build's hash, which
    // is taken of their final (minified) bytes and every wasm's, so a name never stands for two
    // contents (a cached file under it would fail its integrity check).
    const PLACEHOLDER = 'BUILD_HASH_PLACEHOLDER';
    const nameOf = (build) => ({ glue: `${BIN}-${build}.js`, loader: `chunks-${build}.js` });
    const { glue: glueName, loader: loaderName } = nameOf(PLACEHOLDER);
    // Each chunk's files: its own and those it shares, as wasm-split's loader fetches them.
    const lazy = {};
    if (loader) {
      const loads = new Map(); // the loader's name for a load → [its file, the loads it waits for]
      const definition = /const (__\w+) = (?:wrapAsyncCb\()?makeLoad\(\(\) => \{[^}]*?new URL\("\.\/([\w.-]+)"[\s\S]*?\n\}\n, \[([^\]]*)\]/g;
      for (const [, load, file, deps] of loader.matchAll(definition)) {
        loads.set(load, [file, deps.split(',').map((d) => d.trim()).filter(Boolean)]);
      }
      const filesOf = (load) => {
        const [file, deps] = loads.get(load) ?? [];
        if (!file) throw new Error(`the chunk loader has no definition of ${load}`);
        return [file, ...deps.flatMap(filesOf)];
      };
      for (const load of loads.keys()) {
        const chunk = load.match(/^__wasm_split_load_(\w+)$/)?.[1];
        if (chunk) lazy[chunk] = [...new Set(filesOf(load))];
      }
      if (Object.keys(lazy).length === 0) throw new Error('cannot read the chunk loader wasm-split wrote');

      // The import statements only: the import object keeps the wasm's own module name.
      glue = replaced(glue, 'from "./__wasm_split.js"', `from "./${loaderName}"`, 'the wasm-bindgen glue');
      loader = replaced(loader, `"./${BIN}.js"`, `"./${glueName}"`, 'the chunk loader');
      for (const [file, name] of hashedChunks) loader = replaced(loader, `"./${file}"`, `"./${name}"`, 'the chunk loader');
      // A host that does not send .wasm as application/wasm: instantiated from its bytes, as the
      // main wasm's loader does (scripts/post-build.mjs), not refused by instantiateStreaming.
      loader = replaced(loader, 'WebAssembly.instantiateStreaming(src, imports)', '__instantiateChunk(src, imports)', 'the chunk loader');
      loader = `// Added by scripts/wasm.mjs.
const __instantiateChunk = (src, imports) => src.then((answer) => {
  if (!answer.ok) throw new Error(\`a chunk answered \${answer.status}\`);
  return answer.headers.get('content-type')?.startsWith('application/wasm')
    ? WebAssembly.instantiateStreaming(answer, imports)
    : answer.arrayBuffer().then((bytes) => WebAssembly.instantiate(bytes, imports));
});
${loader}`;
    }
    if (release) {
      glue = minify(glue);
      if (loader) loader = minify(loader);
    }
    const build = shortHash(...bytes, glue, loader ?? '');
    const names = nameOf(build);
    glue = glue.replaceAll(PLACEHOLDER, build);
    loader = loader?.replaceAll(PLACEHOLDER, build) ?? null;

    await Promise.all(wasmFiles.map((_, i) => writeFile(join(dir, hashed[i]), bytes[i])));
    await writeFile(join(dir, names.glue), glue);
    const modules = [{ url: `/${names.glue}`, integrity: integrity(glue) }];
    if (loader) {
      await writeFile(join(dir, names.loader), loader);
      modules.push({ url: `/${names.loader}`, integrity: integrity(loader) });
    }
    const urlOf = (file) => `/${hashedChunks.get(file)}`;
    return {
      glue: `/${names.glue}`,
      wasm: `/${hashed[0]}`,
      modules,
      chunks: Object.fromEntries(Object.entries(lazy).map(([chunk, files]) => [chunk, files.map(urlOf)])),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
