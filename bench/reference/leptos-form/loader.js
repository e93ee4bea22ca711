// How a Leptos app is usually started (Trunk's own loader does the same).
import init from '/leptos-form.js';

await init({ module_or_path: '/leptos-form_bg.wasm' });
performance.mark('login-ready');
