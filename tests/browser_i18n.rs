//! Languages in a real browser: the app built in another catalog is found by its translated
//! labels and says Strapi's refusal in that language; plural forms come from the browser's
//! `Intl.PluralRules`; a right-to-left catalog turns the page; the picker loads another catalog
//! and keeps what was typed; a catalog that cannot be loaded changes nothing.
#![cfg(target_arch = "wasm32")]

mod support;

use leptos::prelude::{document, window};
use strapi_login::i18n::{self, Catalog, T};
use support::browser::*;
use support::exchanges;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const LEGACY: &str =
    include_str!("../crates/strapi-auth/tests/fixtures/strapi-5.54.0/legacy-login.txt");

fn catalog(locale: &str) -> Catalog {
    let json = match locale {
        "de" => include_str!("../i18n/de.json"),
        "fr" => include_str!("../i18n/fr.json"),
        "es" => include_str!("../i18n/es.json"),
        "ar" => include_str!("../i18n/ar.json"),
        _ => panic!("no catalog {locale}"),
    };
    Catalog::from_json(locale, json).expect("the catalog parses")
}

/// Runs with `locale`'s catalog, and English again afterwards (the catalog is global to the page).
struct InLanguage;

impl InLanguage {
    fn set(locale: &str) -> Self {
        i18n::set(catalog(locale));
        i18n::apply_to_document();
        InLanguage
    }
}

impl Drop for InLanguage {
    fn drop(&mut self) {
        i18n::set(Catalog::english());
        i18n::apply_to_document();
    }
}

fn recorded(name: &str) -> Reply {
    let e = exchanges::find(LEGACY, name);
    Reply::Answer(e.status, e.body)
}

/// The catalog is global to the page and wasm-bindgen-test runs a file's async tests concurrently:
/// the scenarios run one after another, in one test.
#[wasm_bindgen_test]
async fn languages() {
    a_german_page_is_found_by_its_german_labels_and_says_strapi_s_refusal_in_german().await;
    the_app_s_own_checks_are_translated_and_a_catalog_s_gaps_fall_back_to_english().await;
    plural_forms_follow_the_browser_s_rules_for_the_language();
    a_right_to_left_catalog_turns_the_page();
    the_picker_switches_the_language_and_keeps_what_was_typed().await;
}

async fn a_german_page_is_found_by_its_german_labels_and_says_strapi_s_refusal_in_german() {
    let _german = InLanguage::set("de");
    let fake = FakeStrapi::new(recorded("login-wrong-password"));
    let _app = start_at("/auth/login", &fake);
    wait_for("the form", || has_field("Passwort")).await;
    assert_eq!(heading().as_deref(), Some("Anmelden"));
    assert_eq!(document().title(), "Anmelden");

    type_into("E-Mail oder Benutzername", "test@example.com");
    type_into("Passwort", "nope");
    button("Anmelden").click();
    wait_for("the alert", || alert().is_some()).await;
    assert_eq!(
        alert().as_deref(),
        Some("E-Mail/Benutzername oder Passwort ist falsch")
    );
    assert_eq!(stored_session_keys(), vec![]);
}

async fn the_app_s_own_checks_are_translated_and_a_catalog_s_gaps_fall_back_to_english() {
    let _french = InLanguage::set("fr");
    let fake = FakeStrapi::new(Reply::Unreachable);
    let _app = start_at("/auth/login", &fake);
    wait_for("the form", || has_field("Mot de passe")).await;
    button("Se connecter").click();
    wait_for("the alert", || alert().is_some()).await;
    assert_eq!(
        alert().as_deref(),
        Some("Saisissez votre e-mail ou votre nom d’utilisateur. Saisissez votre mot de passe.")
    );
    assert!(fake.requests().is_empty(), "nothing sent");

    // An operator's partial catalog: what it lacks is in English.
    let partial = r#"{"$name": "Galego", "$complete": false, "LogIn": "Iniciar sesión"}"#;
    i18n::set(Catalog::from_json("gl", partial).expect("the catalog parses"));
    assert_eq!(i18n::t(T::LogIn), "Iniciar sesión");
    assert_eq!(i18n::t(T::ResetLead), T::ResetLead.en());
}

fn plural_forms_follow_the_browser_s_rules_for_the_language() {
    let _arabic = InLanguage::set("ar");
    let form = |n| i18n::tn(T::SignOutOthers, n, &[]);
    assert_eq!(form(1), "تسجيل الخروج من الجهاز الآخر");
    assert_eq!(form(2), "تسجيل الخروج من الجهازين الآخرين");
    assert_eq!(form(3), "تسجيل الخروج من 3 أجهزة أخرى");
    assert_eq!(form(11), "تسجيل الخروج من 11 جهازًا آخر");
    assert_eq!(form(100), "تسجيل الخروج من 100 جهاز آخر");
    i18n::set(catalog("de"));
    assert_eq!(form(1), "Vom anderen Gerät abmelden");
    assert_eq!(form(4), "Von allen 4 anderen Geräten abmelden");
}

fn a_right_to_left_catalog_turns_the_page() {
    let arabic = InLanguage::set("ar");
    let root = document().document_element().unwrap();
    assert_eq!(root.get_attribute("dir").as_deref(), Some("rtl"));
    assert_eq!(root.get_attribute("lang").as_deref(), Some("ar"));
    drop(arabic);
    assert_eq!(root.get_attribute("dir").as_deref(), Some("ltr"));
    assert_eq!(root.get_attribute("lang").as_deref(), Some("en"));
}

async fn the_picker_switches_the_language_and_keeps_what_was_typed() {
    i18n::set(Catalog::english());
    let fake = FakeStrapi::new(Reply::Unreachable);
    let _app = start_at("/auth/login", &fake);
    wait_for("the form", || has_field("Password")).await;
    type_into("Email or username", "someone@example.com");
    log_in("someone@example.com", "wrong");
    wait_for("the refusal", || {
        alert().is_some_and(|a| a.contains("Cannot reach"))
    })
    .await;
    let sent = fake.requests().len();
    let input = field("Email or username");
    let alert_box = document().query_selector("[role=alert]").unwrap().unwrap();
    input.focus().unwrap();
    // The test server serves the crate's files, i18n/ among them.
    let picker: web_sys::HtmlSelectElement = document()
        .get_element_by_id("language")
        .expect("a language picker")
        .unchecked_into();
    assert_eq!(picker.length(), i18n::SHIPPED.len() as u32);
    picker.set_value("fr");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    picker
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
    wait_for("French", || has_field("Mot de passe")).await;
    // Re-worded in place: the same input, still focused and filled, the same alert, now in
    // French, and nothing asked of Strapi again.
    let same = field("E-mail ou nom d’utilisateur");
    assert!(same.is_same_node(Some(&input)), "the input was rebuilt");
    assert_eq!(same.value(), "someone@example.com");
    let focused = document().active_element().unwrap();
    assert!(focused.is_same_node(Some(&input)), "the focus moved");
    let now = document().query_selector("[role=alert]").unwrap().unwrap();
    assert!(now.is_same_node(Some(&alert_box)), "the alert was rebuilt");
    assert!(
        alert()
            .unwrap()
            .contains("Impossible de joindre le serveur"),
        "{:?}",
        alert()
    );
    assert_eq!(fake.requests().len(), sent);
    assert_eq!(document().title(), "Se connecter");
    assert_eq!(stored("strapi-login:locale").as_deref(), Some("fr"));
    let root = document().document_element().unwrap();
    assert_eq!(root.get_attribute("lang").as_deref(), Some("fr"));

    // A language whose catalog cannot be had changes nothing.
    assert!(i18n::load("xx").await.is_none());
    assert!(i18n::load("../de").await.is_none(), "not a locale code");
    assert_eq!(i18n::current().0, "fr");
    i18n::set(Catalog::english());
    i18n::apply_to_document();
    let _ = window().local_storage().unwrap().unwrap().clear();
}
