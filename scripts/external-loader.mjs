// Trunk post-build hook: moves the inline <script type="module"> that Trunk writes into index.html
// (it loads the JS glue and the wasm) into its own content-hashed file, so the app runs under a
// Content-Security-Policy with `script-src 'self'` and no 'unsafe-inline' or hashes to maintain.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('run by Trunk as a post_build hook (TRUNK_STAGING_DIR is not set)');
const index = join(dir, 'index.html');
const html = await readFile(index, 'utf8');
const inline = /<script type=["']?module["']?>([\s\S]*?)<\/script>/i;
const found = html.match(inline);
if (!found) throw new Error('index.html has no inline module script to move');
const code = found[1].trim() + '\n';
const name = `loader-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.js`;
await writeFile(join(dir, name), code);
await writeFile(index, html.replace(inline, `<script type="module" src="/${name}"></script>`));
