//! Passkeys in a real browser, with a scripted Strapi: the dashboard's "Passkeys" section (the
//! list, a name's checks before anything is sent, removing one, "Confirm it's you" before either,
//! the browser told of what Strapi accepts), the panel after a password reset, and the login
//! page's "Sign in with a passkey". No WebAuthn ceremony runs here (these browsers have no
//! authenticator): the end-to-end suite covers those with Chromium's virtual authenticator.
#![cfg(target_arch = "wasm32")]

mod support;

use std::sync::{Arc, Mutex};

use js_sys::Reflect;
use leptos::wasm_bindgen::{JsCast, JsValue};
use strapi_auth::http::{Method, Request};
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

/// The person's password, as the scripted Strapi checks it at a confirmation.
const PASSWORD: &str = "Passw0rd!";
/// The confirmation that password earns.
const CONFIRMATION: &str = "q2B1-x_9ZkHf0u3nT5yVw8pL4aRc6dEe7gIi1jKk2Ms";
const ISSUED: &str = r#"{"confirmation":"q2B1-x_9ZkHf0u3nT5yVw8pL4aRc6dEe7gIi1jKk2Ms","expiresAt":"2026-12-08T10:15:00.000Z"}"#;
const WRONG_PASSWORD: &str = r#"{"data":null,"error":{"status":400,"name":"ValidationError","message":"The provided current password is invalid","details":{}}}"#;
const CONFIRMATION_REQUIRED: &str = r#"{"data":null,"error":{"status":403,"name":"ForbiddenError","message":"Confirmation required","details":{}}}"#;
/// The ways a person with a password (and no passkey, no provider) confirms.
const BY_PASSWORD: &str = r#"{"password":true,"passkey":false,"provider":null}"#;

/// Strapi's confirmation routes for a person whose password is [`PASSWORD`] (`methods` says how
/// they may confirm), and its sensitive routes refusing a request without [`CONFIRMATION`].
fn confirmations(request: &Request, methods: &str) -> Option<Reply> {
    let body = json_body(request);
    let confirmed = body["confirmation"] == CONFIRMATION;
    match (request.method, route(request)) {
        (Method::Get, "/passkeys/confirmation") => Some(Reply::json(200, methods)),
        (Method::Post, "/passkeys/confirmation/password") if body["password"] == PASSWORD => {
            Some(Reply::json(200, ISSUED))
        }
        (Method::Post, "/passkeys/confirmation/password") => Some(Reply::json(400, WRONG_PASSWORD)),
        (
            Method::Post,
            "/passkeys/registration/options"
            | "/passkeys/registration/verify"
            | "/passkeys/remove"
            | "/passkeys/remove-all",
        ) if !confirmed => Some(Reply::json(403, CONFIRMATION_REQUIRED)),
        _ => None,
    }
}

/// Waits for "Confirm it's you", then confirms with `password`.
async fn confirm_with(password: &str) {
    wait_for("the confirm step", || confirm_step().is_some()).await;
    wait_for("its password field", || has_field("Password")).await;
    type_into("Password", password);
    button("Confirm").click();
}

/// The "Confirm it's you" step, found as a screen reader finds it: the group its heading names.
fn confirm_step() -> Option<web_sys::Element> {
    document()
        .query_selector("[role=group][aria-labelledby=confirm-title]")
        .unwrap()
}

fn focused_id() -> String {
    document()
        .active_element()
        .map(|el| el.id())
        .unwrap_or_default()
}

fn press_escape() {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Escape");
    init.set_bubbles(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    document()
        .active_element()
        .unwrap()
        .dispatch_event(&event)
        .unwrap();
}

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
    restore_signals();
    mount(path, with_passkeys(fake, on), stored)
}

/// A Strapi whose `GET /passkeys` answers the list in `listed` (until a removal empties it), and
/// whose `POST /passkeys/remove` answers `removal` once confirmed (see [`confirmations`]); a 2xx
/// removal leaves `[]` listed.
fn keeping(listed: &str, removal: Reply) -> (Arc<FakeStrapi>, Arc<Mutex<String>>) {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let list = Arc::new(Mutex::new(listed.to_owned()));
    let kept = list.clone();
    fake.respond_with(move |request| {
        if let Some(refused) = confirmations(request, BY_PASSWORD) {
            return Some(refused);
        }
        match (request.method, route(request)) {
            (Method::Get, "/passkeys") => Some(Reply::json(200, &kept.lock().unwrap())),
            (Method::Post, "/passkeys/remove") => {
                if matches!(removal, Reply::Answer(200..=299, _)) {
                    *kept.lock().unwrap() = "[]".to_owned();
                }
                Some(removal.clone())
            }
            _ => None,
        }
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
    let listed = fake.requests_to("/passkeys");
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
    fake.respond_with(|request| {
        confirmations(request, BY_PASSWORD).or_else(|| match (request.method, route(request)) {
            (Method::Get, "/passkeys") => Some(Reply::json(200, "[]")),
            (Method::Post, "/passkeys/registration/options") => Some(Reply::json(500, FAILED)),
            _ => None,
        })
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
    confirm_with(PASSWORD).await;
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
    assert_eq!(
        json_body(&asked[0]),
        serde_json::json!({"confirmation": CONFIRMATION}),
        "with the confirmation just earned"
    );
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
    confirm_with(PASSWORD).await;
    wait_for("the notice", || in_section("status").is_some()).await;
    assert_eq!(
        in_section("status").as_deref(),
        Some("Passkey “Work laptop” removed.")
    );
    let removed = fake.requests_to("/passkeys/remove");
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0].method, Method::Post);
    assert_eq!(bearer(&removed[0]), Some("stored.jwt.value"));
    assert_eq!(
        json_body(&removed[0]),
        serde_json::json!({"confirmation": CONFIRMATION, "id": "AbC"})
    );

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
    fake.respond_with(move |request| {
        if let Some(reply) = confirmations(request, BY_PASSWORD) {
            return Some(reply);
        }
        match (request.method, route(request)) {
            (Method::Get, "/passkeys") => Some(Reply::json(200, &emptied.lock().unwrap())),
            (Method::Post, "/passkeys/remove") => {
                *emptied.lock().unwrap() = "[]".to_owned();
                Some(Reply::json(404, NOT_FOUND))
            }
            _ => None,
        }
    });
    let _app = start("/dashboard", &fake, true, &SIGNED_IN);
    wait_for("the list", || listed() == ["Work laptop"]).await;

    button("Remove").click();
    confirm_with(PASSWORD).await;
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
    confirm_with(PASSWORD).await;
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

/// The section's "Add a passkey" button, whatever it says.
fn add_button() -> web_sys::HtmlButtonElement {
    document()
        .get_element_by_id("passkey-add")
        .expect("no “Add a passkey” button")
        .unchecked_into()
}

#[wasm_bindgen_test]
async fn while_a_removal_is_under_way_the_sections_buttons_wait() {
    let (fake, _) = keeping(WORK_LAPTOP, Reply::Stall(400));
    let _app = start("/dashboard", &fake, true, &SIGNED_IN);
    wait_for("the list", || listed() == ["Work laptop"]).await;

    button("Remove").click();
    confirm_with(PASSWORD).await;
    wait_for("the buttons disabled", || {
        find_button("Remove").is_some_and(|b| b.disabled())
            && document()
                .get_element_by_id("passkey-add")
                .is_some_and(|b| b.has_attribute("disabled"))
    })
    .await;
    button("Remove").click();
    wait_for("the alert", || in_section("alert").is_some()).await;
    assert_eq!(
        in_section("alert").as_deref(),
        Some("The server took too long to answer. Please try again in a moment.")
    );
    let removals = fake.requests_to("/passkeys/remove").len();
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
    confirm_with(PASSWORD).await;
    wait_for("the buttons disabled", || {
        document()
            .get_element_by_id("passkey-add")
            .is_some_and(|b| b.has_attribute("disabled"))
    })
    .await;
    let says = add_button().text_content().unwrap_or_default();
    assert_eq!(says.trim(), "Add a passkey", "nothing is being added");
    wait_for("the alert", || in_section("alert").is_some()).await;
}

// "Confirm it's you": Strapi wants a recent confirmation before passkeys change.

#[wasm_bindgen_test]
async fn adding_without_a_confirmation_asks_for_one_then_goes_on_by_itself() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    fake.respond_with(|request| {
        confirmations(request, BY_PASSWORD).or_else(|| match (request.method, route(request)) {
            (Method::Get, "/passkeys") => Some(Reply::json(200, "[]")),
            // Confirmed: the options would come here (no authenticator in these browsers).
            (Method::Post, "/passkeys/registration/options") => Some(Reply::json(500, FAILED)),
            _ => None,
        })
    });
    let _app = start("/dashboard", &fake, true, &SIGNED_IN);
    wait_for("the form", || has_field("Passkey name")).await;
    type_into("Passkey name", "Phone");
    button("Add a passkey").click();

    wait_for("the confirm step", || confirm_step().is_some()).await;
    wait_for("the focus in it", || focused_id() == "password").await;
    let step = confirm_step().unwrap().text_content().unwrap_or_default();
    assert!(step.contains("Confirm it's you"), "{step}");
    assert!(
        fake.requests_to("/passkeys/registration/options")
            .is_empty(),
        "nothing sent without a confirmation"
    );
    assert!(
        !has_field("Passkey name"),
        "the step stands in place of the form"
    );
    wait_for("the password field", || has_field("Password")).await;
    let password = field("Password");
    assert_eq!(password.type_(), "password");
    assert_eq!(
        password.get_attribute("autocomplete").as_deref(),
        Some("current-password")
    );
    assert!(find_button("Show password").is_some());
    let username = document().get_element_by_id("username").unwrap();
    assert_eq!(
        username.get_attribute("autocomplete").as_deref(),
        Some("username")
    );
    assert!(
        find_button("Use a passkey instead").is_none(),
        "no passkeys to use"
    );
    assert!(find_button("Cancel").is_some());

    // A wrong password: said in an alert and under the field; nothing more sent.
    confirm_with("not-it").await;
    wait_for("the alert", || alert().is_some()).await;
    assert_eq!(alert().as_deref(), Some("That password is not correct."));
    assert_eq!(
        description_of(&field("Password")).as_deref(),
        Some("That password is not correct.")
    );
    assert_eq!(field("Password").value(), "", "the password is cleared");
    assert!(
        fake.requests_to("/passkeys/registration/options")
            .is_empty()
    );
    let tried = fake.requests_to("/passkeys/confirmation/password");
    assert_eq!(tried.len(), 1);
    assert_eq!(
        json_body(&tried[0]),
        serde_json::json!({"password": "not-it"})
    );
    assert_eq!(bearer(&tried[0]), Some("stored.jwt.value"));
    assert_eq!(
        stored_session_keys(),
        vec![("token", "stored.jwt.value".to_owned())]
    );

    // The right one: the add goes on without another press of "Add a passkey".
    type_into("Password", PASSWORD);
    button("Confirm").click();
    wait_for("the step gone", || confirm_step().is_none()).await;
    wait_for("the add's outcome", || in_section("alert").is_some()).await;
    assert_eq!(in_section("alert").as_deref(), Some(SERVER_FAILED));
    let asked = fake.requests_to("/passkeys/registration/options");
    assert_eq!(asked.len(), 1);
    assert_eq!(
        json_body(&asked[0]),
        serde_json::json!({"confirmation": CONFIRMATION})
    );
    assert_eq!(field("Passkey name").value(), "Phone", "the name is kept");
    // The confirmation lives in memory only.
    let storage = leptos::prelude::window().local_storage().unwrap().unwrap();
    for i in 0..storage.length().unwrap() {
        let key = storage.key(i).unwrap().unwrap();
        let value = storage.get_item(&key).unwrap().unwrap_or_default();
        assert!(
            !value.contains(CONFIRMATION),
            "{key} holds the confirmation"
        );
    }
    let session = leptos::prelude::window()
        .session_storage()
        .unwrap()
        .unwrap();
    for i in 0..session.length().unwrap() {
        let key = session.key(i).unwrap().unwrap();
        let value = session.get_item(&key).unwrap().unwrap_or_default();
        assert!(
            !value.contains(CONFIRMATION),
            "{key} holds the confirmation"
        );
    }
}

#[wasm_bindgen_test]
async fn escape_and_cancel_give_the_focus_back_to_the_button_that_asked() {
    let (fake, _) = keeping(WORK_LAPTOP, Reply::json(200, "{}"));
    let _app = start("/dashboard", &fake, true, &SIGNED_IN);
    wait_for("the list", || listed() == ["Work laptop"]).await;

    type_into("Passkey name", "Phone");
    button("Add a passkey").click();
    wait_for("the focus in the step", || focused_id() == "password").await;
    press_escape();
    wait_for("the step gone", || confirm_step().is_none()).await;
    wait_for("the focus back", || focused_id() == "passkey-add").await;
    assert_eq!(
        field("Passkey name").value(),
        "Phone",
        "what was typed stays"
    );
    assert_eq!(listed(), ["Work laptop"]);

    button("Remove").click();
    wait_for("the focus in the step", || focused_id() == "password").await;
    button("Cancel").click();
    wait_for("the step gone", || confirm_step().is_none()).await;
    wait_for("the focus back", || focused_id() == "passkey-remove-AbC").await;
    assert!(fake.requests_to("/passkeys/remove").is_empty());
    assert!(
        fake.requests_to("/passkeys/confirmation/password")
            .is_empty()
    );
    assert_eq!(in_section("alert"), None);
}

#[wasm_bindgen_test]
async fn one_confirmation_serves_the_next_change_and_one_strapi_refuses_is_asked_for_again() {
    let list = Arc::new(Mutex::new(
        r#"[{"id":"AbC","name":"Phone","createdAt":null,"lastUsedAt":null},
            {"id":"dEf","name":"Key","createdAt":null,"lastUsedAt":null}]"#
            .to_owned(),
    ));
    let refuse = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let fake = FakeStrapi::new(Reply::Unreachable);
    let (kept, refusing) = (list.clone(), refuse.clone());
    fake.respond_with(move |request| {
        if let Some(reply) = confirmations(request, BY_PASSWORD) {
            return Some(reply);
        }
        match (request.method, route(request)) {
            (Method::Get, "/passkeys") => Some(Reply::json(200, &kept.lock().unwrap())),
            (Method::Post, "/passkeys/remove" | "/passkeys/registration/options")
                if refusing.load(std::sync::atomic::Ordering::SeqCst) =>
            {
                // Expired meanwhile, or the password changed elsewhere.
                Some(Reply::json(403, CONFIRMATION_REQUIRED))
            }
            (Method::Post, "/passkeys/remove") => {
                let id = json_body(request)["id"].as_str().unwrap().to_owned();
                let mut listed: Vec<serde_json::Value> =
                    serde_json::from_str(&kept.lock().unwrap()).unwrap();
                listed.retain(|p| p["id"] != id.as_str());
                *kept.lock().unwrap() = serde_json::to_string(&listed).unwrap();
                Some(Reply::json(200, r#"{"id":"x","name":"x"}"#))
            }
            _ => None,
        }
    });
    let _app = start("/dashboard", &fake, true, &SIGNED_IN);
    wait_for("the list", || listed() == ["Phone", "Key"]).await;

    all_buttons("Remove")[0].click();
    confirm_with(PASSWORD).await;
    wait_for("the first removed", || listed() == ["Key"]).await;
    // The next change within the confirmation's minutes asks nothing more.
    button("Remove").click();
    wait_for("the second removed", || {
        section_text().contains("You have no passkeys yet.")
    })
    .await;
    assert_eq!(fake.requests_to("/passkeys/confirmation/password").len(), 1);
    let removals = fake.requests_to("/passkeys/remove");
    assert_eq!(removals.len(), 2);
    assert!(
        removals
            .iter()
            .all(|r| json_body(r)["confirmation"] == CONFIRMATION)
    );

    // One Strapi no longer takes is forgotten: the next change asks again.
    *list.lock().unwrap() = WORK_LAPTOP.to_owned();
    refuse.store(true, std::sync::atomic::Ordering::SeqCst);
    type_into("Passkey name", "Laptop");
    button("Add a passkey").click();
    wait_for("the step again", || confirm_step().is_some()).await;
    assert_eq!(
        in_section("alert"),
        None,
        "no alert: the step says what to do"
    );
    let asked = fake.requests_to("/passkeys/registration/options");
    assert_eq!(asked.len(), 1, "sent once, with the confirmation kept");
    assert_eq!(json_body(&asked[0])["confirmation"], CONFIRMATION);
}

#[wasm_bindgen_test]
async fn a_person_with_passkeys_may_confirm_with_one() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    fake.respond_with(|request| {
        confirmations(
            request,
            r#"{"password":true,"passkey":true,"provider":null}"#,
        )
        .or_else(|| match (request.method, route(request)) {
            (Method::Get, "/passkeys") => Some(Reply::json(200, WORK_LAPTOP)),
            (Method::Post, "/passkeys/confirmation/passkey/options") => {
                Some(Reply::json(500, FAILED))
            }
            _ => None,
        })
    });
    let _app = start("/dashboard", &fake, true, &SIGNED_IN);
    wait_for("the list", || listed() == ["Work laptop"]).await;
    button("Remove").click();
    wait_for("the passkey way", || {
        find_button("Use a passkey instead").is_some()
    })
    .await;
    button("Use a passkey instead").click();
    wait_for("the alert", || alert().is_some()).await;
    assert_eq!(alert().as_deref(), Some(SERVER_FAILED));
    let asked = fake.requests_to("/passkeys/confirmation/passkey/options");
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].method, Method::Post);
    assert_eq!(bearer(&asked[0]), Some("stored.jwt.value"));
    assert!(confirm_step().is_some(), "still asking");
    assert!(fake.requests_to("/passkeys/remove").is_empty());
}

/// The ids of "Continue with …" and the pending action kept in `sessionStorage`.
const PENDING_KEY: &str = "strapi-login:confirming";

fn session_storage() -> web_sys::Storage {
    leptos::prelude::window()
        .session_storage()
        .unwrap()
        .unwrap()
}

#[wasm_bindgen_test]
async fn a_provider_account_confirms_with_its_provider_and_what_waits_goes_on_after() {
    let fake = FakeStrapi::new(Reply::Unreachable);
    fake.respond_with(|request| {
        confirmations(
            request,
            r#"{"password":false,"passkey":false,"provider":"mock"}"#,
        )
        .or_else(|| match (request.method, route(request)) {
            (Method::Get, "/passkeys") => Some(Reply::json(200, "[]")),
            _ => None,
        })
    });
    let backend = configured_client(
        &fake,
        Source {
            passkeys: Some("on"),
            providers: Some("mock"),
            ..Source::default()
        },
    );
    restore_webauthn();
    let app = mount("/dashboard", backend, &SIGNED_IN);
    wait_for("the form", || has_field("Passkey name")).await;
    type_into("Passkey name", "Phone");
    button("Add a passkey").click();
    wait_for("the provider way", || link("Continue with mock").is_some()).await;
    assert!(!has_field("Password"), "no password to confirm with");
    let mock = link("Continue with mock").unwrap();
    assert_eq!(
        mock.get_attribute("href").as_deref(),
        Some("http://strapi.test/api/connect/mock")
    );
    // Clicking would leave the page; the keeping happens first, on the click itself.
    mock.dispatch_event(&web_sys::Event::new("click").unwrap())
        .unwrap();
    let kept = session_storage().get_item(PENDING_KEY).unwrap().unwrap();
    assert!(kept.ends_with("\nadd\nPhone"), "{kept:?}");
    assert_eq!(
        session_storage()
            .get_item(strapi_login::providers::RETURN_KEY)
            .unwrap()
            .as_deref(),
        Some(r#""/dashboard""#)
    );
    drop(app);

    // Back from the provider, whose sign-in carries a confirmation: the add goes on.
    let token = "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6M30.sig";
    let fake = FakeStrapi::new(Reply::Unreachable);
    fake.respond_with(move |request| {
        confirmations(request, BY_PASSWORD).or_else(|| match (request.method, route(request)) {
            (Method::Get, r) if r.starts_with("/auth/mock/callback") => Some(Reply::json(
                200,
                &format!(
                    r#"{{"jwt":"{token}","user":{{"username":"mock","email":"mock@example.com"}},"confirmation":{ISSUED}}}"#
                ),
            )),
            (Method::Get, "/passkeys") => Some(Reply::json(200, "[]")),
            (Method::Post, "/passkeys/registration/options") => Some(Reply::json(500, FAILED)),
            _ => None,
        })
    });
    let backend = configured_client(
        &fake,
        Source {
            passkeys: Some("on"),
            providers: Some("mock"),
            ..Source::default()
        },
    );
    let _app = mount("/connect/mock/redirect", backend, &[]);
    wait_for("the dashboard", || path() == "/dashboard").await;
    wait_for("the add's outcome", || in_section("alert").is_some()).await;
    assert_eq!(in_section("alert").as_deref(), Some(SERVER_FAILED));
    assert_eq!(stored_session_keys(), vec![("token", token.to_owned())]);
    let asked = fake.requests_to("/passkeys/registration/options");
    assert_eq!(asked.len(), 1, "the add went on by itself");
    assert_eq!(bearer(&asked[0]), Some(token));
    assert_eq!(json_body(&asked[0])["confirmation"], CONFIRMATION);
    assert_eq!(
        session_storage().get_item(PENDING_KEY).unwrap(),
        None,
        "taken"
    );
}

// The browser told what Strapi accepts (WebAuthn's signal API), where it can be.

const SIGNALS: &str = "__testsPasskeySignals";
const STUBBED: &str = "__testsRealSignalMethods";

/// Records the app's calls to `PublicKeyCredential.signal…` in `window[SIGNALS]`, the browser's
/// own methods (if any) kept aside.
fn stub_signals() {
    let class = Reflect::get(&js_sys::global(), &"PublicKeyCredential".into()).unwrap();
    let real = js_sys::Object::new();
    for method in ["signalUnknownCredential", "signalAllAcceptedCredentials"] {
        let own = Reflect::get(&class, &method.into()).unwrap();
        Reflect::set(&real, &method.into(), &own).unwrap();
        let stub = js_sys::Function::new_with_args(
            "options",
            &format!(
                "(window.{SIGNALS} ||= []).push(['{method}', JSON.stringify(options)]); return Promise.resolve();"
            ),
        );
        Reflect::set(&class, &method.into(), &stub).unwrap();
    }
    Reflect::set(&js_sys::global(), &STUBBED.into(), &real).unwrap();
    Reflect::set(&js_sys::global(), &SIGNALS.into(), &js_sys::Array::new()).unwrap();
}

fn restore_signals() {
    let global = js_sys::global();
    let real = Reflect::get(&global, &STUBBED.into()).unwrap();
    if real.is_undefined() {
        return;
    }
    let class = Reflect::get(&global, &"PublicKeyCredential".into()).unwrap();
    for method in ["signalUnknownCredential", "signalAllAcceptedCredentials"] {
        let own = Reflect::get(&real, &method.into()).unwrap();
        if own.is_undefined() {
            Reflect::delete_property(class.unchecked_ref::<js_sys::Object>(), &method.into())
                .unwrap();
        } else {
            Reflect::set(&class, &method.into(), &own).unwrap();
        }
    }
    Reflect::delete_property(global.unchecked_ref::<js_sys::Object>(), &STUBBED.into()).unwrap();
}

/// The signals the app sent: (method, its options as JSON).
fn signals_sent() -> Vec<(String, serde_json::Value)> {
    let sent = Reflect::get(&js_sys::global(), &SIGNALS.into()).unwrap();
    let sent: js_sys::Array = sent.unchecked_into();
    sent.iter()
        .map(|entry| {
            let entry: js_sys::Array = entry.unchecked_into();
            let options = entry.get(1).as_string().unwrap();
            (
                entry.get(0).as_string().unwrap(),
                serde_json::from_str(&options).unwrap(),
            )
        })
        .collect()
}

#[wasm_bindgen_test]
async fn the_browser_is_told_which_passkeys_strapi_accepts_and_which_it_removed() {
    let (fake, list) = keeping(WORK_LAPTOP, Reply::json(200, "{}"));
    let kept = list.clone();
    fake.respond_with(move |request| {
        if let Some(reply) = confirmations(request, BY_PASSWORD) {
            return Some(reply);
        }
        match (request.method, route(request)) {
            (Method::Get, "/passkeys") => Some(Reply::json(200, &kept.lock().unwrap())),
            (Method::Get, "/passkeys/signals") => Some(Reply::json(
                200,
                r#"{"rpId":"localhost","userId":"dXNlcg","credentialIds":["AbC"]}"#,
            )),
            (Method::Post, "/passkeys/remove") => {
                *kept.lock().unwrap() = "[]".to_owned();
                Some(Reply::json(200, r#"{"id":"AbC","name":"Work laptop"}"#))
            }
            _ => None,
        }
    });
    restore_webauthn();
    stub_signals();
    let _app = mount("/dashboard", with_passkeys(&fake, true), &SIGNED_IN);
    wait_for("the list", || listed() == ["Work laptop"]).await;
    wait_for("the accepted passkeys told", || !signals_sent().is_empty()).await;
    assert_eq!(
        signals_sent(),
        [(
            "signalAllAcceptedCredentials".to_owned(),
            serde_json::json!({"rpId": "localhost", "userId": "dXNlcg", "allAcceptedCredentialIds": ["AbC"]})
        )]
    );

    button("Remove").click();
    confirm_with(PASSWORD).await;
    wait_for("the removal told", || signals_sent().len() == 2).await;
    let sent = signals_sent();
    restore_signals();
    assert_eq!(
        sent[1],
        (
            "signalUnknownCredential".to_owned(),
            serde_json::json!({"rpId": "localhost", "credentialId": "AbC"})
        )
    );
    assert_eq!(
        fake.requests_to("/passkeys/signals").len(),
        1,
        "the relying party is known from the first answer"
    );
}

// After a password reset from the mail.

/// A reset's answer with strapi-plugin-passkeys 0.2: the session, and a confirmation.
const RESET_ANSWER: &str = r#"{"jwt":"reset.access.t","user":{"username":"demo","email":"demo@example.com"},"confirmation":{"confirmation":"q2B1-x_9ZkHf0u3nT5yVw8pL4aRc6dEe7gIi1jKk2Ms","expiresAt":"2026-12-08T10:15:00.000Z"}}"#;
const RESET_PAIR: &str = r#"{"jwt":"reset.access.t","refreshToken":"reset.refresh.t","user":{"username":"demo","email":"demo@example.com"},"confirmation":{"confirmation":"q2B1-x_9ZkHf0u3nT5yVw8pL4aRc6dEe7gIi1jKk2Ms","expiresAt":"2026-12-08T10:15:00.000Z"}}"#;

/// A Strapi answering a reset with `answer`, and removing every passkey of the person (two) with
/// the confirmation a reset carries.
fn resetting(answer: &'static str) -> Arc<FakeStrapi> {
    let fake = FakeStrapi::new(Reply::Unreachable);
    let removed = Arc::new(Mutex::new(false));
    fake.respond_with(move |request| match (request.method, route(request)) {
        (Method::Post, "/auth/reset-password") => Some(Reply::json(200, answer)),
        (Method::Post, "/auth/refresh") => Some(Reply::json(200, r#"{"jwt":"moved.access.t"}"#)),
        (Method::Get, "/passkeys") if *removed.lock().unwrap() => Some(Reply::json(200, "[]")),
        (Method::Get, "/passkeys") => Some(Reply::json(
            200,
            r#"[{"id":"AbC","name":"Mine","createdAt":null,"lastUsedAt":null},
                {"id":"dEf","name":"Not mine","createdAt":null,"lastUsedAt":null}]"#,
        )),
        (Method::Post, "/passkeys/remove-all")
            if json_body(request)["confirmation"] == CONFIRMATION =>
        {
            *removed.lock().unwrap() = true;
            Some(Reply::json(200, r#"{"removed":2}"#))
        }
        (Method::Post, "/passkeys/remove-all") => Some(Reply::json(403, CONFIRMATION_REQUIRED)),
        (Method::Get, "/auth/sessions") => Some(Reply::json(
            200,
            r#"{"data":[{"id":"s1","deviceId":"d1","current":true}]}"#,
        )),
        _ => None,
    });
    fake
}

async fn reset_from_the_mail() {
    wait_for("the form", || has_field("New password")).await;
    type_into("New password", "N3w-Passw0rd!");
    type_into("Confirm new password", "N3w-Passw0rd!");
    button("Set new password").click();
    wait_for("the dashboard", || path() == "/dashboard").await;
}

#[wasm_bindgen_test]
async fn after_a_reset_the_dashboard_offers_to_remove_every_passkey_with_the_resets_confirmation() {
    let fake = resetting(RESET_ANSWER);
    let _app = start("/auth/reset-password?code=abc", &fake, true, &[]);
    reset_from_the_mail().await;
    wait_for("the panel", || {
        headings("h2").contains(&"You reset your password".to_owned())
    })
    .await;
    let text = document_text();
    assert!(
        text.contains("Check your passkeys below."),
        "legacy: no sessions to speak of"
    );
    assert!(find_button("Remove all passkeys and sign out everywhere else").is_none());
    assert_eq!(
        stored_session_keys(),
        vec![("token", "reset.access.t".to_owned())]
    );

    wait_for("the list", || listed() == ["Mine", "Not mine"]).await;
    button("Remove all passkeys").click();
    wait_for("the outcome", || status().is_some()).await;
    assert_eq!(
        status().as_deref(),
        Some("All 2 of your passkeys were removed.")
    );
    assert!(confirm_step().is_none(), "the reset's confirmation served");
    let removed = fake.requests_to("/passkeys/remove-all");
    assert_eq!(removed.len(), 1);
    assert_eq!(
        json_body(&removed[0]),
        serde_json::json!({"confirmation": CONFIRMATION})
    );
    wait_for("the list again", || {
        section_text().contains("You have no passkeys yet.")
    })
    .await;
    assert!(find_button("Remove all passkeys").is_none(), "done");
    assert!(fake.requests_to("/auth/sessions").is_empty());
}

#[wasm_bindgen_test]
async fn in_cookie_mode_the_resets_confirmation_outlives_the_move_to_the_cookie() {
    let fake = resetting(RESET_PAIR);
    let backend = configured_client(
        &fake,
        Source {
            passkeys: Some("on"),
            refresh: Some("cookie"),
            ..Source::default()
        },
    );
    restore_webauthn();
    let _app = mount("/auth/reset-password?code=abc", backend, &[]);
    reset_from_the_mail().await;
    // Signing in renewed the access token (its refresh token went to the cookie); the
    // confirmation came in the reset's answer and stays good.
    assert_eq!(
        stored_session_keys(),
        vec![("accessToken", "moved.access.t".to_owned())]
    );
    wait_for("the panel", || {
        find_button("Remove all passkeys and sign out everywhere else").is_some()
    })
    .await;
    assert!(document_text().contains("where you are signed in below"));
    button("Remove all passkeys and sign out everywhere else").click();
    wait_for("the outcome", || {
        all_statuses()
            .iter()
            .any(|s| s.starts_with("All 2 of your passkeys"))
    })
    .await;
    assert!(all_statuses().contains(
        &"All 2 of your passkeys were removed. You are signed out everywhere else.".to_owned()
    ));
    assert_eq!(
        json_body(&fake.requests_to("/passkeys/remove-all")[0])["confirmation"],
        CONFIRMATION
    );
}

#[wasm_bindgen_test]
async fn a_reset_that_brought_no_confirmation_asks_for_one_before_removing() {
    // A reset's answer without one (it could not be issued): the panel asks first.
    let refused = FakeStrapi::new(Reply::Unreachable);
    refused.respond_with(|request| {
        if let Some(reply) = confirmations(request, BY_PASSWORD) {
            return Some(reply);
        }
        match (request.method, route(request)) {
            (Method::Post, "/auth/reset-password") => Some(Reply::json(
                200,
                r#"{"jwt":"reset.access.t","user":{"username":"demo","email":"demo@example.com"}}"#,
            )),
            (Method::Get, "/passkeys") => Some(Reply::json(200, "[]")),
            (Method::Post, "/passkeys/remove-all") => Some(Reply::json(200, r#"{"removed":0}"#)),
            _ => None,
        }
    });
    let _app = start("/auth/reset-password?code=abc", &refused, true, &[]);
    reset_from_the_mail().await;
    wait_for("the panel", || find_button("Remove all passkeys").is_some()).await;
    button("Remove all passkeys").click();
    wait_for("the focus in the step", || focused_id() == "password").await;
    assert!(
        refused.requests_to("/passkeys/remove-all").is_empty(),
        "nothing sent without a confirmation"
    );
    confirm_with(PASSWORD).await;
    wait_for("the outcome", || status().is_some()).await;
    assert_eq!(status().as_deref(), Some("You had no passkeys to remove."));
    let removed = refused.requests_to("/passkeys/remove-all");
    assert_eq!(removed.len(), 1, "sent once, after the confirmation");
}

fn all_statuses() -> Vec<String> {
    let found = document().query_selector_all("[role=status]").unwrap();
    (0..found.length())
        .filter_map(|i| found.item(i))
        .map(|n| n.text_content().unwrap_or_default().trim().to_owned())
        .collect()
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
