//! Passkeys in a real browser, with a scripted Strapi: the dashboard's "Passkeys" section (the
//! list, a name's checks before anything is sent, removing one) and the login page's "Sign in
//! with a passkey". No WebAuthn ceremony runs here (these browsers have no authenticator): the
//! end-to-end suite covers those with Chromium's virtual authenticator.
#![cfg(target_arch = "wasm32")]

mod support;

use std::sync::{Arc, Mutex};

use js_sys::Reflect;
use leptos::wasm_bindgen::{JsCast, JsValue};
use strapi_auth::http::Method;
use strapi_login::Backend;
use strapi_login::config::Source;
use support::browser::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A session from an earlier visit (legacy mode: no session list, so no other requests).
const SIGNED_IN: [(&str, &str); 1] = [("token", "stored.jwt.value")];

const WORK_LAPTOP: &str = r#"[{"id":"AbC","name":"Work laptop","createdAt":"2026-12-03T10:00:00.000Z","lastUsedAt":null}]"#;

const FORBIDDEN: &str = r#"{"data":null,"error":{"status":403,"name":"ForbiddenError","message":"Forbidden","details":{}}}"#;
const FAILED: &str = r#"{"data":null,"error":{"status":500,"name":"InternalServerError","message":"Internal Server Error"}}"#;
const NOT_FOUND: &str = r#"{"data":null,"error":{"status":404,"name":"NotFoundError","message":"Passkey not found","details":{}}}"#;
/// What the app says for [`FAILED`].
const SERVER_FAILED: &str = "The server could not complete the request (Internal Server Error). Please try again in a moment.";

/// The app's Strapi client with passkeys offered (`<meta name="strapi-passkeys" content="on">`)
/// or not.
fn with_passkeys(fake: &Arc<FakeStrapi>, on: bool) -> Backend {
    configured_client(
        fake,
        Source {
            passkeys: Some(if on { "on" } else { "off" }),
            ..Source::default()
        },
    )
}

/// Mounts the app at `path` with passkeys `on` or off. WebAuthn is put back first, should a
/// failed test have left it hidden.
fn start(path: &str, fake: &Arc<FakeStrapi>, on: bool, stored: &[(&str, &str)]) -> Mounted {
    restore_webauthn();
    mount(path, with_passkeys(fake, on), stored)
}

/// A Strapi whose `GET /passkeys` answers the list in `listed` (until a removal empties it), and
/// whose `DELETE /passkeys/:id` answers `removal`; a 2xx removal leaves `[]` listed.
fn keeping(listed: &str, removal: Reply) -> (Arc<FakeStrapi>, Arc<Mutex<String>>) {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let list = Arc::new(Mutex::new(listed.to_owned()));
    let kept = list.clone();
    fake.respond_with(move |request| match (request.method, route(request)) {
        (Method::Get, "/passkeys") => Some(Reply::json(200, &kept.lock().unwrap())),
        (Method::Delete, r) if r.starts_with("/passkeys/") => {
            if matches!(removal, Reply::Answer(200..=299, _)) {
                *kept.lock().unwrap() = "[]".to_owned();
            }
            Some(removal.clone())
        }
        _ => None,
    });
    (fake, list)
}

// The section, found the way a screen reader finds it: the region its heading names.

fn section() -> Option<web_sys::Element> {
    document()
        .query_selector("section[aria-labelledby=passkeys-title]")
        .unwrap()
}

/// The names of the passkeys listed, in order.
fn listed() -> Vec<String> {
    let Some(section) = section() else {
        return Vec::new();
    };
    let names = section.query_selector_all("li strong").unwrap();
    (0..names.length())
        .filter_map(|i| names.item(i))
        .map(|n| n.text_content().unwrap_or_default().trim().to_owned())
        .collect()
}

fn section_text() -> String {
    section().and_then(|s| s.text_content()).unwrap_or_default()
}

/// The text of the first `[role=…]` element in the section.
fn in_section(role: &str) -> Option<String> {
    let found = section()?
        .query_selector(&format!("[role={role}]"))
        .unwrap()?;
    Some(found.text_content().unwrap_or_default().trim().to_owned())
}

fn headings(level: &str) -> Vec<String> {
    let list = document().query_selector_all(level).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.text_content().unwrap_or_default().trim().to_owned())
        .collect()
}

/// The page's requests to the passkey routes (`/passkeys`, `/passkeys/…`).
fn passkey_requests(fake: &FakeStrapi) -> Vec<strapi_auth::http::Request> {
    fake.requests_to_prefix("/passkeys")
}

// WebAuthn hidden: a browser without `PublicKeyCredential`. The real one is kept on `window` so a
// test that fails while it is hidden (a trap that runs no `Drop`) cannot leave it hidden for the
// next tests: each mounts through `start`, which restores it.

const STASH: &str = "__testsRealPublicKeyCredential";

fn hide_webauthn() {
    let global = js_sys::global();
    if !Reflect::has(&global, &STASH.into()).unwrap() {
        let real = Reflect::get(&global, &"PublicKeyCredential".into()).unwrap();
        Reflect::set(&global, &STASH.into(), &real).unwrap();
    }
    assert!(Reflect::set(&global, &"PublicKeyCredential".into(), &JsValue::UNDEFINED).unwrap());
    assert!(
        Reflect::get(&global, &"PublicKeyCredential".into())
            .unwrap()
            .is_undefined()
    );
}

fn restore_webauthn() {
    let global = js_sys::global();
    if Reflect::has(&global, &STASH.into()).unwrap() {
        let real = Reflect::get(&global, &STASH.into()).unwrap();
        Reflect::set(&global, &"PublicKeyCredential".into(), &real).unwrap();
        Reflect::delete_property(global.unchecked_ref::<js_sys::Object>(), &STASH.into()).unwrap();
    }
}

fn document() -> web_sys::Document {
    leptos::prelude::document()
}

// The dashboard's section.

#[wasm_bindgen_test]
async fn the_dashboard_lists_the_persons_passkeys() {
    let (fake, _) = keeping(WORK_LAPTOP, Reply::json(200, "{}"));
    let _app = start("/dashboard", &fake, true, &SIGNED_IN);
    wait_for("the list", || listed() == ["Work laptop"]).await;

    assert!(headings("h2").contains(&"Passkeys".to_owned()));
    let text = section_text();
    assert!(text.contains("Not used yet."), "{text}");
    assert!(text.contains("Added "), "when it was added: {text}");
    assert!(!text.contains("Last used"), "{text}");
    let listed = passkey_requests(&fake);
    assert_eq!(listed.len(), 1, "one request for the list");
    assert_eq!(listed[0].method, Method::Get);
    assert_eq!(listed[0].url, format!("{STRAPI_URL}/api/passkeys"));
    assert_eq!(bearer(&listed[0]), Some("stored.jwt.value"));

    // The passkey's "Remove" is named by itself and the passkey's name: "Remove Work laptop".
    let remove = button("Remove");
    let labelled = remove.get_attribute("aria-labelledby").unwrap();
    let name: Vec<String> = labelled
        .split(' ')
        .map(|id| {
            document()
                .get_element_by_id(id)
                .unwrap()
                .text_content()
                .unwrap()
        })
        .collect();
    assert_eq!(name, ["Remove", "Work laptop"]);
    // A browser with WebAuthn can add one.
    assert!(has_field("Passkey name"));
    assert!(find_button("Add a passkey").is_some());
}

#[wasm_bindgen_test]
async fn a_passkey_used_before_says_when() {
    let (fake, _) = keeping(
        r#"[{"id":"AbC","name":"Phone","createdAt":"2026-12-03T10:00:00.000Z","lastUsedAt":"2026-12-04T08:30:00.000Z"},
            {"id":"dEf","name":"Key","createdAt":null,"lastUsedAt":null}]"#,
        Reply::json(200, "{}"),
    );
    let _app = start("/dashboard", &fake, true, &SIGNED_IN);
    wait_for("the list", || listed() == ["Phone", "Key"]).await;
    let text = section_text();
    assert!(text.contains("Last used "), "{text}");
    assert_eq!(all_buttons("Remove").len(), 2, "one per passkey");
    assert_eq!(
        text.matches("Not used yet.").count(),
        1,
        "only the unused one: {text}"
    );
}

#[wasm_bindgen_test]
async fn an_empty_list_says_there_are_none_yet() {
    let (fake, _) = keeping("[]", Reply::json(200, "{}"));
    let _app = start("/dashboard", &fake, true, &SIGNED_IN);
    wait_for("the empty list", || {
        section_text().contains("You have no passkeys yet.")
    })
    .await;
    assert!(find_button("Remove").is_none());
    assert_eq!(in_section("alert"), None);
}

#[wasm_bindgen_test]
async fn without_passkeys_the_dashboard_has_no_such_section_and_asks_nothing() {
    let (fake, _) = keeping(WORK_LAPTOP, Reply::json(200, "{}"));
    let _app = start("/dashboard", &fake, false, &SIGNED_IN);
    wait_for("the account", || {
        document_text().contains("You are logged in as test.")
    })
    .await;
    sleep(100).await;
    assert!(section().is_none());
    assert!(!headings("h2").contains(&"Passkeys".to_owned()));
    assert!(listed().is_empty());
    assert!(
        passkey_requests(&fake).is_empty(),
        "no request to /passkeys"
    );
}

#[wasm_bindgen_test]
async fn a_list_strapi_refuses_or_fails_says_it_could_not_be_loaded() {
    for (reply, reason) in [
        (Reply::json(403, FORBIDDEN), "Forbidden"),
        (Reply::json(500, FAILED), SERVER_FAILED),
    ] {
        let fake = FakeStrapi::new(Reply::Unreachable);
        fake.respond_with(move |request| (route(request) == "/passkeys").then(|| reply.clone()));
        let app = start("/dashboard", &fake, true, &SIGNED_IN);
        wait_for("the alert", || in_section("alert").is_some()).await;
        let said = in_section("alert").unwrap();
        assert!(
            said.starts_with("Your passkeys could not be loaded."),
            "{said}"
        );
        assert!(said.contains(reason), "{said} lacks {reason:?}");
        assert!(find_button("Remove").is_none());
        assert_eq!(path(), "/dashboard", "still signed in");
        drop(app);
    }
}

#[wasm_bindgen_test]
async fn a_browser_without_webauthn_lists_but_offers_no_form() {
    let (fake, _) = keeping(WORK_LAPTOP, Reply::json(200, "{}"));
    restore_webauthn();
    hide_webauthn();
    // Not `start`: it would put WebAuthn back.
    let _app = mount("/dashboard", with_passkeys(&fake, true), &SIGNED_IN);
    wait_for("the list", || listed() == ["Work laptop"]).await;
    let text = section_text();
    restore_webauthn();
    assert!(
        text.contains(
            "This browser cannot create passkeys. You can add one from a current browser."
        ),
        "{text}"
    );
    assert!(!has_field("Passkey name"));
    assert!(find_button("Add a passkey").is_none());
    assert!(
        find_button("Remove").is_some(),
        "removing needs no WebAuthn"
    );
}

// A name, checked before anything is sent.

#[wasm_bindgen_test]
async fn a_passkey_needs_a_name_of_at_most_64_characters_before_anything_is_sent() {
    let (fake, _) = keeping("[]", Reply::json(200, "{}"));
    let _app = start("/dashboard", &fake, true, &SIGNED_IN);
    wait_for("the form", || has_field("Passkey name")).await;
    wait_for("the list", || {
        section_text().contains("You have no passkeys yet.")
    })
    .await;
    let before = fake.requests().len();
    let input = field("Passkey name");
    assert_eq!(input.get_attribute("maxlength").as_deref(), Some("64"));
    assert_eq!(input.get_attribute("aria-invalid"), None);
    assert_eq!(
        description_of(&input).as_deref(),
        Some("So you can tell your passkeys apart, like “Work laptop”.")
    );

    for (typed, says) in [
        ("", "Enter a name for the passkey."),
        ("   ", "Enter a name for the passkey."),
        (&*"x".repeat(65), "Use at most 64 characters."),
        (&*"é".repeat(65), "Use at most 64 characters."),
    ] {
        type_into("Passkey name", typed);
        button("Add a passkey").click();
        wait_for("the name's error", || {
            description_of(&field("Passkey name")).as_deref() == Some(says)
        })
        .await;
        let input = field("Passkey name");
        assert_eq!(
            input.get_attribute("aria-invalid").as_deref(),
            Some("true"),
            "{typed:?}"
        );
        assert_eq!(
            input.get_attribute("aria-describedby").as_deref(),
            Some("passkey-name-error passkey-name-hint"),
            "the hint stays read"
        );
        assert_eq!(
            document().active_element(),
            Some(input.clone().into()),
            "{typed:?}"
        );
        assert_eq!(input.value(), typed, "what was typed is kept");
        assert_eq!(fake.requests().len(), before, "nothing sent for {typed:?}");
    }
}

#[wasm_bindgen_test]
async fn a_good_name_clears_the_error_and_asks_strapi_whose_failure_is_shown() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    fake.respond_with(|request| match (request.method, route(request)) {
        (Method::Get, "/passkeys") => Some(Reply::json(200, "[]")),
        (Method::Post, "/passkeys/registration/options") => Some(Reply::json(500, FAILED)),
        _ => None,
    });
    let _app = start("/dashboard", &fake, true, &SIGNED_IN);
    wait_for("the form", || has_field("Passkey name")).await;
    button("Add a passkey").click();
    wait_for("the name's error", || {
        field("Passkey name")
            .get_attribute("aria-invalid")
            .is_some()
    })
    .await;

    // 64 characters, with spaces around that do not count.
    let name = "é".repeat(64);
    type_into("Passkey name", &format!("  {name} "));
    button("Add a passkey").click();
    wait_for("the alert", || in_section("alert").is_some()).await;
    assert_eq!(in_section("alert").as_deref(), Some(SERVER_FAILED));
    let input = field("Passkey name");
    assert_eq!(
        input.get_attribute("aria-invalid"),
        None,
        "the error is gone"
    );
    assert!(document().get_element_by_id("passkey-name-error").is_none());
    assert_eq!(input.value(), format!("  {name} "), "kept for another try");
    let asked = fake.requests_to("/passkeys/registration/options");
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].method, Method::Post);
    assert_eq!(bearer(&asked[0]), Some("stored.jwt.value"));
    assert!(
        fake.requests_to("/passkeys/registration/verify").is_empty(),
        "no passkey without options"
    );
    wait_for("the button back", || !button("Add a passkey").disabled()).await;
}

// Removing one.

#[wasm_bindgen_test]
async fn remove_deletes_the_passkey_says_so_and_reloads_the_list() {
    let (fake, _) = keeping(
        WORK_LAPTOP,
        Reply::json(
            200,
            r#"{"id":"AbC","name":"Work laptop","createdAt":"2026-12-03T10:00:00.000Z","lastUsedAt":null}"#,
        ),
    );
    let _app = start("/dashboard", &fake, true, &SIGNED_IN);
    wait_for("the list", || listed() == ["Work laptop"]).await;

    button("Remove").click();
    wait_for("the notice", || in_section("status").is_some()).await;
    assert_eq!(
        in_section("status").as_deref(),
        Some("Passkey “Work laptop” removed.")
    );
    let removed: Vec<_> = passkey_requests(&fake)
        .into_iter()
        .filter(|r| r.method == Method::Delete)
        .collect();
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0].url, format!("{STRAPI_URL}/api/passkeys/AbC"));
    assert_eq!(bearer(&removed[0]), Some("stored.jwt.value"));
    assert_eq!(removed[0].json, None, "a DELETE has no body");

    wait_for("the list reloaded", || {
        section_text().contains("You have no passkeys yet.")
    })
    .await;
    assert_eq!(fake.requests_to("/passkeys").len(), 2);
    assert!(find_button("Remove").is_none());
    assert_eq!(in_section("alert"), None);
    assert_eq!(path(), "/dashboard", "still signed in");
}

#[wasm_bindgen_test]
async fn a_passkey_already_gone_counts_as_removed() {
    let (fake, list) = keeping(WORK_LAPTOP, Reply::json(404, NOT_FOUND));
    // Removed meanwhile in another tab: the next list has it no more.
    let emptied = list.clone();
    fake.respond_with(move |request| match (request.method, route(request)) {
        (Method::Get, "/passkeys") => Some(Reply::json(200, &emptied.lock().unwrap())),
        (Method::Delete, _) => {
            *emptied.lock().unwrap() = "[]".to_owned();
            Some(Reply::json(404, NOT_FOUND))
        }
        _ => None,
    });
    let _app = start("/dashboard", &fake, true, &SIGNED_IN);
    wait_for("the list", || listed() == ["Work laptop"]).await;

    button("Remove").click();
    wait_for("the notice", || in_section("status").is_some()).await;
    assert_eq!(
        in_section("status").as_deref(),
        Some("Passkey “Work laptop” removed.")
    );
    assert_eq!(in_section("alert"), None);
    wait_for("the list reloaded", || {
        section_text().contains("You have no passkeys yet.")
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_removal_that_fails_is_an_alert_and_the_passkey_stays() {
    let (fake, _) = keeping(WORK_LAPTOP, Reply::json(500, FAILED));
    let _app = start("/dashboard", &fake, true, &SIGNED_IN);
    wait_for("the list", || listed() == ["Work laptop"]).await;

    button("Remove").click();
    wait_for("the alert", || in_section("alert").is_some()).await;
    assert_eq!(in_section("alert").as_deref(), Some(SERVER_FAILED));
    assert_eq!(in_section("status"), None, "no “removed”");
    wait_for("the list reloaded", || {
        fake.requests_to("/passkeys").len() == 2
    })
    .await;
    wait_for("the button back", || {
        find_button("Remove").is_some_and(|b| !b.disabled())
    })
    .await;
    assert_eq!(listed(), ["Work laptop"]);
}

/// The section's submit button, whatever it says.
fn add_button() -> web_sys::HtmlButtonElement {
    section()
        .and_then(|s| s.query_selector("form button[type=submit]").unwrap())
        .expect("no “Add a passkey” button")
        .unchecked_into()
}

#[wasm_bindgen_test]
async fn while_a_removal_is_under_way_the_sections_buttons_wait() {
    let (fake, _) = keeping(WORK_LAPTOP, Reply::Stall(400));
    let _app = start("/dashboard", &fake, true, &SIGNED_IN);
    wait_for("the list", || listed() == ["Work laptop"]).await;

    button("Remove").click();
    wait_for("the buttons disabled", || {
        button("Remove").disabled() && add_button().disabled()
    })
    .await;
    button("Remove").click();
    wait_for("the alert", || in_section("alert").is_some()).await;
    assert_eq!(
        in_section("alert").as_deref(),
        Some("The server took too long to answer. Please try again in a moment.")
    );
    let removals = passkey_requests(&fake)
        .into_iter()
        .filter(|r| r.method == Method::Delete)
        .count();
    assert_eq!(removals, 1, "a click on a disabled button sends nothing");
    wait_for("the buttons back", || {
        find_button("Remove").is_some_and(|b| !b.disabled()) && !add_button().disabled()
    })
    .await;
    assert_eq!(listed(), ["Work laptop"]);
}

#[wasm_bindgen_test]
async fn a_removal_under_way_does_not_say_a_passkey_is_being_added() {
    let (fake, _) = keeping(WORK_LAPTOP, Reply::Stall(400));
    let _app = start("/dashboard", &fake, true, &SIGNED_IN);
    wait_for("the list", || listed() == ["Work laptop"]).await;

    button("Remove").click();
    wait_for("the buttons disabled", || add_button().disabled()).await;
    let says = add_button().text_content().unwrap_or_default();
    assert_eq!(says.trim(), "Add a passkey", "nothing is being added");
    wait_for("the alert", || in_section("alert").is_some()).await;
}

// The login page.

/// A Strapi that cannot be reached for passkey options (so the autofill request both browsers
/// start on the login page ends quietly) and answers nothing else.
fn quiet_strapi() -> Arc<FakeStrapi> {
    let fake = FakeStrapi::new(Reply::Unreachable);
    fake.respond_with(|request| {
        route(request)
            .starts_with("/passkeys")
            .then_some(Reply::Unreachable)
    });
    fake
}

#[wasm_bindgen_test]
async fn with_passkeys_the_login_page_offers_them_in_autofill_and_a_button() {
    let fake = quiet_strapi();
    let _app = start("/auth/login", &fake, true, &[]);
    wait_for("the form", || has_field("Email or username")).await;
    assert_eq!(
        field("Email or username")
            .get_attribute("autocomplete")
            .as_deref(),
        Some("username webauthn")
    );
    assert!(find_button("Sign in with a passkey").is_some());
    assert!(!button("Sign in with a passkey").disabled());
    sleep(100).await;
    assert_eq!(
        alert(),
        None,
        "a Strapi out of reach for autofill is no news"
    );
}

#[wasm_bindgen_test]
async fn without_passkeys_the_login_page_neither_offers_nor_asks() {
    let fake = quiet_strapi();
    let _app = start("/auth/login", &fake, false, &[]);
    wait_for("the form", || has_field("Email or username")).await;
    assert_eq!(
        field("Email or username")
            .get_attribute("autocomplete")
            .as_deref(),
        Some("username")
    );
    assert!(find_button("Sign in with a passkey").is_none());
    sleep(100).await;
    assert!(passkey_requests(&fake).is_empty(), "no autofill request");
}

#[wasm_bindgen_test]
async fn a_browser_without_webauthns_json_methods_is_told_and_strapi_is_not_asked() {
    let fake = quiet_strapi();
    let _app = start("/auth/login", &fake, true, &[]);
    wait_for("the form", || has_field("Email or username")).await;
    // Let the autofill request (both browsers offer passkey autofill) end first.
    sleep(150).await;
    let before = fake.requests().len();

    hide_webauthn();
    button("Sign in with a passkey").click();
    wait_for("the alert", || alert().is_some()).await;
    let said = alert().unwrap();
    sleep(100).await;
    let after = fake.requests().len();
    restore_webauthn();

    assert_eq!(
        said,
        "This browser cannot use passkeys. Log in with your password, or use a current browser."
    );
    assert_eq!(after, before, "nothing sent to Strapi");
    assert!(
        !button("Sign in with a passkey").disabled(),
        "can be tried again"
    );
    assert!(has_field("Password"), "the password login stays");
    assert_eq!(stored_session_keys(), vec![]);
}

#[wasm_bindgen_test]
async fn the_button_asks_strapi_for_options_and_says_when_it_fails() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    fake.respond_with(|request| {
        (route(request) == "/passkeys/authentication/options").then(|| Reply::json(500, FAILED))
    });
    let _app = start("/auth/login", &fake, true, &[]);
    wait_for("the form", || has_field("Email or username")).await;
    sleep(150).await;
    assert_eq!(alert(), None, "a failing Strapi at autofill is no news");
    let before = fake.requests_to("/passkeys/authentication/options").len();

    button("Sign in with a passkey").click();
    wait_for("the alert", || alert().is_some()).await;
    assert_eq!(alert().as_deref(), Some(SERVER_FAILED));
    let asked = fake.requests_to("/passkeys/authentication/options");
    assert!(asked.len() > before, "the button asked for options");
    let asked = &asked[before];
    assert_eq!(asked.method, Method::Post);
    assert_eq!(bearer(asked), None, "no one is signed in");
    assert!(
        fake.requests_to("/passkeys/authentication/verify")
            .is_empty(),
        "no answer without a prompt"
    );
    assert_eq!(stored_session_keys(), vec![]);
    assert_eq!(path(), "/auth/login");
}

#[wasm_bindgen_test]
async fn a_strapi_without_the_plugin_leaves_the_login_page_quiet_until_the_button_is_used() {
    // Strapi without strapi-plugin-passkeys: its generic 404 for the options route.
    let fake = FakeStrapi::new(Reply::Unreachable);
    let _app = start("/auth/login", &fake, true, &[]);
    wait_for("the form", || has_field("Email or username")).await;
    wait_for("the autofill request", || {
        !fake
            .requests_to("/passkeys/authentication/options")
            .is_empty()
    })
    .await;
    sleep(150).await;
    assert_eq!(alert(), None, "nothing the person asked for failed");
}
