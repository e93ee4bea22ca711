// What /auth/login loads from a build (its page: auth/login.html, pre-rendered, where the build has
// one, else index.html; and every file it references), with raw, gzip -9 and brotli -q 11 bytes; or,
// with --app, the whole app: index.html and every file of the build it can load (the chunks of the
// other pages too; not the pre-rendered pages or the language catalogs, one of which a visitor
// loads). As a command it prints the table, or checks a size budget:
//   node bench/sizes.mjs [dist] [--app]                 the table
//   node bench/sizes.mjs [dist] [--app] --budget FILE   fail if the brotli total exceeds the bytes in FILE
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** The files the login page loads: its HTML first, then the assets it references. */
export async function loginAssets(dist) {
  const prerendered = await readFile(join(dist, 'auth/login.html'), 'utf8').catch(() => null);
  const page = prerendered === null ? 'index.html' : 'auth/login.html';
  const html = prerendered ?? (await readFile(join(dist, page), 'utf8'));
  const referenced = [...html.matchAll(/(?:href|src)=["']?\/([^"' >]+\.(?:css|js|wasm))|'\/([^']+\.(?:js|wasm))'/g)].map((m) => m[1] ?? m[2]);
  return measured(dist, [page, ...new Set(referenced)]);
}

/** Every file the app can load: index.html, then its content-hashed files (chunks included). */
export async function appAssets(dist) {
  const hashed = (await readdir(dist)).filter((f) => /-[0-9a-f]{16}(?:_bg)?\.(?:css|js|wasm)$/.test(f)).sort();
  return measured(dist, ['index.html', ...hashed]);
}

/** `files` of `dist` with their raw, gzip -9 and brotli -q 11 sizes. */
function measured(dist, files) {
  return Promise.all(
    files.map(async (name) => {
      const bytes = await readFile(join(dist, name));
      return {
        file: name,
        raw: bytes.length,
        gzip: gzipSync(bytes, { level: 9 }).length,
        brotli: brotliCompressSync(bytes, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
        }).length,
      };
    }),
  );
}

export function total(rows) {
  return rows.reduce((sum, r) => ({ raw: sum.raw + r.raw, gzip: sum.gzip + r.gzip, brotli: sum.brotli + r.brotli }), {
    raw: 0,
    gzip: 0,
    brotli: 0,
  });
}

export function sizeTable(rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  const all = total(rows);
  return [
    line(['file', 'raw', 'gzip -9', 'brotli -q 11']),
    line(['---', '---:', '---:', '---:']),
    ...rows.map((r) => line([r.file.replace(/-[0-9a-f]{8,}/, '-…'), r.raw, r.gzip, r.brotli])),
    line(['**total**', `**${all.raw}**`, `**${all.gzip}**`, `**${all.brotli}**`]),
  ].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const budgetAt = args.indexOf('--budget');
  const app = args.includes('--app');
  const dist = resolve(args.find((a, i) => !a.startsWith('--') && (budgetAt < 0 || i !== budgetAt + 1)) ?? 'dist');
  const rows = app ? await appAssets(dist) : await loginAssets(dist);
  console.log(sizeTable(rows));
  if (budgetAt >= 0) {
    const budget = Number((await readFile(args[budgetAt + 1], 'utf8')).match(/^\s*(\d+)/m)[1]);
    const { brotli } = total(rows);
    const what = app ? 'the whole app is' : '/auth/login loads';
    if (brotli > budget) {
      console.error(`size budget exceeded: ${what} ${brotli} bytes brotli, the budget is ${budget}`);
      process.exit(1);
    }
    console.log(`size budget: ${brotli} of ${budget} bytes brotli (${budget - brotli} to spare)`);
  }
}
