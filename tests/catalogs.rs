//! The message catalogs in `i18n/` against the texts the code uses (`strapi_login::i18n::T`): a
//! shipped catalog has every key, no key the code does not know, and the same placeholders as the
//! English text, so a missing or mistyped key fails here, not on someone's screen. Plural texts
//! have exactly the CLDR plural categories their language uses for whole numbers.

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;

use serde_json::{Map, Value};
use strapi_login::i18n::{self, T};

const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];
/// Catalog entries that describe the catalog rather than translate a text.
const META: [&str; 3] = ["$name", "$dir", "$complete"];

/// The CLDR (48) cardinal plural categories each shipped language has, what `Intl.PluralRules`
/// can answer for a whole number there ("many" in French, Spanish, Italian and Portuguese is for
/// millions: "1 000 000 d'appareils").
fn plural_categories(code: &str) -> &'static [&'static str] {
    match code {
        "ar" => &["zero", "one", "two", "few", "many", "other"],
        "he" => &["one", "two", "other"],
        "ru" | "pl" => &["one", "few", "many", "other"],
        "fr" | "es" | "it" | "pt-BR" => &["one", "many", "other"],
        "ja" | "ko" | "zh-CN" | "id" => &["other"],
        "de" | "nl" | "tr" | "en" => &["one", "other"],
        _ => panic!("{code}: add its CLDR plural categories here"),
    }
}

fn catalogs() -> Vec<(String, Map<String, Value>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("i18n");
    let mut found: Vec<_> = fs::read_dir(&dir)
        .expect("i18n/ exists")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| {
            let code = path.file_stem().unwrap().to_string_lossy().into_owned();
            let text = fs::read_to_string(&path).unwrap();
            let Value::Object(map) = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()))
            else {
                panic!("{}: not a JSON object", path.display());
            };
            (code, map)
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// The `{name}`s in a text.
fn placeholders(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        if let Some(close) = rest.find('}') {
            names.insert(rest[..close].to_owned());
            rest = &rest[close + 1..];
        }
    }
    names
}

/// English's placeholders of `text`: of every form, for a plural one.
fn english_placeholders(text: T) -> BTreeSet<String> {
    text.en().split('\u{1e}').flat_map(placeholders).collect()
}

fn is_plural(text: T) -> bool {
    text.en().contains('\u{1f}')
}

#[test]
fn the_shipped_languages_have_catalogs_and_the_complete_ones_every_key() {
    let found = catalogs();
    for (code, _) in i18n::SHIPPED.iter().filter(|(code, _)| *code != "en") {
        assert!(
            found.iter().any(|(c, _)| c == code),
            "i18n/{code}.json is missing"
        );
    }
    for (code, catalog) in &found {
        assert!(i18n::is_locale_code(code), "{code}: not a locale code");
        let complete = catalog.get("$complete") != Some(&Value::Bool(false));
        if complete {
            let missing: Vec<_> = T::ALL
                .iter()
                .filter(|t| !catalog.contains_key(t.key()))
                .map(|t| t.key())
                .collect();
            assert!(missing.is_empty(), "i18n/{code}.json lacks {missing:?}");
        }
        assert!(
            matches!(catalog.get("$name"), Some(Value::String(_))),
            "{code}: $name (the language's name in itself) is missing"
        );
    }
    // Every shipped language is complete, and there are the languages most of the web reads.
    for (code, _) in i18n::SHIPPED.iter().filter(|(code, _)| *code != "en") {
        let (_, catalog) = found.iter().find(|(c, _)| c == code).unwrap();
        assert_eq!(catalog.get("$complete"), None, "{code}: shipped incomplete");
    }
    assert!(i18n::SHIPPED.len() >= 14);
}

#[test]
fn every_key_is_one_the_code_uses_and_every_text_has_english_s_placeholders() {
    for (code, catalog) in catalogs() {
        for (key, value) in &catalog {
            if META.contains(&key.as_str()) {
                continue;
            }
            let text = T::ALL
                .iter()
                .copied()
                .find(|t| t.key() == key)
                .unwrap_or_else(|| panic!("i18n/{code}.json: unknown key {key}"));
            let english = english_placeholders(text);
            match value {
                Value::String(translated) => {
                    assert!(!is_plural(text), "{code}.{key}: needs plural forms");
                    assert!(!translated.trim().is_empty(), "{code}.{key}: empty");
                    assert_eq!(placeholders(translated), english, "{code}.{key}");
                }
                Value::Object(forms) => {
                    assert!(is_plural(text), "{code}.{key}: is not a plural text");
                    assert!(forms.contains_key("other"), "{code}.{key}: no \"other\"");
                    let categories: BTreeSet<&str> = forms.keys().map(String::as_str).collect();
                    assert_eq!(
                        categories,
                        plural_categories(&code).iter().copied().collect(),
                        "{code}.{key}: not the language's CLDR plural categories"
                    );
                    for (category, form) in forms {
                        assert!(
                            CATEGORIES.contains(&category.as_str()),
                            "{code}.{key}: {category} is no CLDR plural category"
                        );
                        let Value::String(form) = form else {
                            panic!("{code}.{key}.{category}: not a text");
                        };
                        // A form may leave the number out ("the other device"), nothing else.
                        assert!(
                            placeholders(form).is_subset(&english),
                            "{code}.{key}.{category}: {:?} not in {english:?}",
                            placeholders(form)
                        );
                    }
                    let other = forms["other"].as_str().unwrap();
                    assert_eq!(placeholders(other), english, "{code}.{key}.other");
                }
                _ => panic!("{code}.{key}: neither a text nor plural forms"),
            }
        }
        if let Some(dir) = catalog.get("$dir") {
            assert!(
                dir == "rtl" || dir == "ltr",
                "{code}: $dir is \"ltr\" or \"rtl\""
            );
        }
    }
}

#[test]
fn a_right_to_left_catalog_ships() {
    assert!(
        catalogs()
            .iter()
            .any(|(_, c)| c.get("$dir") == Some(&Value::from("rtl")))
    );
}

#[test]
fn the_placeholder_reader_finds_names() {
    assert_eq!(
        placeholders("a {x} b {y}{x}"),
        ["x".to_owned(), "y".to_owned()].into()
    );
    assert!(placeholders("none").is_empty());
    assert_eq!(
        english_placeholders(T::SignOutOthers),
        ["count".to_owned()].into()
    );
}

/// nginx picks the pre-rendered login page's language itself (deploy/nginx/strapi-login-languages.conf):
/// a language shipped here but missing there would paint in English first. The end-to-end test
/// (tests/e2e/nginx.test.mjs) sends it real Accept-Language headers.
#[test]
fn nginx_negotiates_every_shipped_language() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("deploy/nginx/strapi-login-languages.conf");
    let conf = fs::read_to_string(&path).expect("the nginx languages snippet exists");
    let tags = conf
        .split("(?<tag>(?:")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .expect("the first map captures the shipped primary subtags as (?<tag>(?:ar|de|…)");
    let primaries: BTreeSet<&str> = tags.split('|').collect();
    for (code, _) in i18n::SHIPPED.iter().filter(|(code, _)| *code != "en") {
        let primary = code.split('-').next().unwrap();
        assert!(
            primaries.contains(primary) || (primary == "zh" && conf.contains("|zh(?:-(?:hans")),
            "{code}: its subtag is not in the first map of {}",
            path.display()
        );
        assert!(
            conf.lines()
                .any(|line| line.trim_start().starts_with("\"~*^")
                    && line.ends_with(&format!(" {code};"))),
            "{code}: no line of the second map names its page in {}",
            path.display()
        );
    }
}
