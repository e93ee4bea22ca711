//! Reports a panic, should one ever happen, to the console and to the person.
//!
//! A panic in WebAssembly leaves the page dead, so the person is told to reload rather than left with
//! a form that silently does nothing.

use web_sys::wasm_bindgen::JsValue;

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&JsValue::from_str(&format!("strapi-login: {info}")));
        show_crash_banner();
    }));
}

fn show_crash_banner() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let (Ok(banner), Some(body)) = (document.create_element("p"), document.body()) else {
        return;
    };
    banner.set_class_name("crash");
    let _ = banner.set_attribute("role", "alert");
    banner.set_text_content(Some(crate::i18n::t(crate::i18n::T::Crashed)));
    let _ = body.prepend_with_node_1(&banner);
}
