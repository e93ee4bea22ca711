// Starts the app from the glue and wasm that Trunk preloads (see Trunk.toml: no inline script).
const preloaded = (selector) => document.querySelector(selector).href;
const glue = await import(preloaded('link[rel="modulepreload"]'));
await glue.default({ module_or_path: preloaded('link[rel="preload"][as="fetch"]') });
