//! Where Strapi is: resolving its base URL and API prefix from run-time `<meta>` tags, build-time
//! environment variables and defaults.
//!
//! Precedence, for each value on its own: a `<meta>` tag in the served `index.html` (so an operator can
//! repoint a built app without rebuilding), then `STRAPI_URL` / `STRAPI_API_PREFIX` at build time, then
//! `http://localhost:1337` and `/api`.

/// Strapi's address when nothing else is configured: its default development port.
pub const DEFAULT_URL: &str = "http://localhost:1337";
/// Strapi's default REST prefix (`config/api.js` `rest.prefix`).
pub const DEFAULT_API_PREFIX: &str = "/api";

/// `<meta name=…>` tags read at run time.
pub const META_URL: &str = "strapi-url";
pub const META_API_PREFIX: &str = "strapi-api-prefix";
pub const META_REFRESH: &str = "strapi-refresh";
pub const META_REGISTER: &str = "strapi-register";
pub const META_PROVIDERS: &str = "strapi-providers";
pub const META_PASSKEYS: &str = "strapi-passkeys";

/// Where the Strapi REST API lives, normalised: `url` has no trailing slash, `api_prefix` is empty or
/// starts with `/` and has no trailing slash, so `url + api_prefix + "/auth/local"` is always well formed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StrapiConfig {
    pub url: String,
    pub api_prefix: String,
    /// Strapi keeps the refresh token in its httpOnly cookie (`strapi-refresh` = `cookie`): requests
    /// carry credentials and `X-Strapi-Refresh-Cookie: httpOnly`, and only the access token is stored.
    pub cookie_refresh: bool,
    /// Sign-up is offered (`strapi-register` is anything but `off`): the login page links to the
    /// register page, which is open. Strapi's own `allow_register` setting has the last word.
    pub register_open: bool,
    /// The login providers Strapi has enabled (`strapi-providers`, Strapi's keys: `github,google`),
    /// one "Continue with …" button each.
    pub providers: Vec<String>,
    /// Passkeys are offered (`strapi-passkeys` = `on`; the Strapi runs strapi-plugin-passkeys):
    /// "Sign in with a passkey" and passkey autofill on the login page, the account page's
    /// passkeys. Off unless a source says `on`.
    pub passkeys: bool,
}

/// One source of configuration values; `None` means "not set here, ask the next source".
#[derive(Clone, Copy, Debug, Default)]
pub struct Source<'a> {
    pub url: Option<&'a str>,
    pub api_prefix: Option<&'a str>,
    /// `cookie` or `body` (the default: the refresh token travels in JSON bodies).
    pub refresh: Option<&'a str>,
    /// `off` closes sign-up; any other value leaves it open.
    pub register: Option<&'a str>,
    /// Provider keys, separated by commas.
    pub providers: Option<&'a str>,
    /// `on` offers passkeys, `off` does not.
    pub passkeys: Option<&'a str>,
}

impl StrapiConfig {
    /// Resolves each value from the first source that sets it validly, in order; the defaults last.
    ///
    /// An empty or blank value counts as unset (an empty `<meta content="">` placeholder). A URL that is
    /// not `http(s)://host…` is skipped, because fetching it would silently hit the app's own origin. An
    /// API prefix of `/` means "no prefix" (Strapi configured with `rest.prefix: ''`).
    pub fn resolve(sources: &[Source<'_>]) -> Self {
        let url = sources
            .iter()
            .find_map(|s| s.url.and_then(normalise_url))
            .unwrap_or_else(|| DEFAULT_URL.to_owned());
        let api_prefix = sources
            .iter()
            .find_map(|s| s.api_prefix.and_then(normalise_prefix))
            .unwrap_or_else(|| DEFAULT_API_PREFIX.to_owned());
        let cookie_refresh = sources
            .iter()
            .find_map(|s| match s.refresh?.trim().to_ascii_lowercase().as_str() {
                "cookie" => Some(true),
                "body" => Some(false),
                _ => None,
            })
            .unwrap_or(false);
        let register_open = sources
            .iter()
            .find_map(|s| Some(s.register?.trim()).filter(|v| !v.is_empty()))
            .is_none_or(|v| !v.eq_ignore_ascii_case("off"));
        let providers = sources
            .iter()
            .find_map(|s| Some(provider_keys(s.providers?)).filter(|keys| !keys.is_empty()))
            .unwrap_or_default();
        let passkeys = sources
            .iter()
            .find_map(|s| match s.passkeys?.trim().to_ascii_lowercase().as_str() {
                "on" => Some(true),
                "off" => Some(false),
                _ => None,
            })
            .unwrap_or(false);
        Self {
            url,
            api_prefix,
            cookie_refresh,
            register_open,
            providers,
            passkeys,
        }
    }

    /// The values baked in at build time, if any.
    pub fn build_time_source() -> Source<'static> {
        Source {
            url: option_env!("STRAPI_URL"),
            api_prefix: option_env!("STRAPI_API_PREFIX"),
            refresh: option_env!("STRAPI_REFRESH"),
            register: option_env!("STRAPI_REGISTER"),
            providers: option_env!("STRAPI_PROVIDERS"),
            passkeys: option_env!("STRAPI_PASSKEYS"),
        }
    }

    /// The configuration of the running page: its `<meta>` tags, then build-time values, then defaults.
    pub fn from_document() -> Self {
        let meta_url = meta_content(META_URL);
        let meta_prefix = meta_content(META_API_PREFIX);
        let meta_refresh = meta_content(META_REFRESH);
        let meta_register = meta_content(META_REGISTER);
        let meta_providers = meta_content(META_PROVIDERS);
        let meta_passkeys = meta_content(META_PASSKEYS);
        let runtime = Source {
            url: meta_url.as_deref(),
            api_prefix: meta_prefix.as_deref(),
            refresh: meta_refresh.as_deref(),
            register: meta_register.as_deref(),
            providers: meta_providers.as_deref(),
            passkeys: meta_passkeys.as_deref(),
        };
        Self::resolve(&[runtime, Self::build_time_source()])
    }

    /// The full URL of an API route such as `/auth/local`.
    pub fn endpoint(&self, route: &str) -> String {
        self.client().endpoint(route)
    }

    /// What the Strapi client needs of these settings.
    pub fn client(&self) -> strapi_auth::Config {
        strapi_auth::Config::new(&self.url)
            .with_api_prefix(&self.api_prefix)
            .with_cookie_refresh(self.cookie_refresh)
    }
}

/// The app's settings, provided by `App`.
pub fn use_config() -> StrapiConfig {
    leptos::prelude::expect_context::<StrapiConfig>()
}

/// The operator's brand, read at run time: `<meta name="app-name">` (the cards' heading line and
/// the page titles) and `<meta name="app-logo">` (an image URL shown on every card, its alt text
/// the name).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Brand {
    pub name: Option<String>,
    pub logo: Option<String>,
}

impl Brand {
    pub fn from_document() -> Self {
        Self::new(
            meta_content("app-name").as_deref(),
            meta_content("app-logo").as_deref(),
        )
    }

    /// Blank values count as unset; a name is clipped to 60 characters; a logo must be an `https:`
    /// or `http:` URL, a path on this site, or a `data:image/` URL.
    pub fn new(name: Option<&str>, logo: Option<&str>) -> Self {
        let name = name
            .map(|n| {
                n.trim()
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(60)
                    .collect::<String>()
            })
            .filter(|n| !n.is_empty());
        let logo = logo.map(str::trim).filter(|l| {
            l.starts_with("https://")
                || l.starts_with("http://")
                || (l.starts_with('/') && !l.starts_with("//"))
                || l.starts_with("data:image/")
        });
        Self {
            name,
            logo: logo.map(str::to_owned),
        }
    }
}

/// The provider keys of a comma-separated list: Strapi's provider names are letters, digits, `-`
/// and `_` (they become a path segment), so anything else is dropped, as are repeats.
fn provider_keys(list: &str) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for key in list.split(',').map(str::trim) {
        let valid = !key.is_empty()
            && key.len() <= 40
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if valid && !keys.iter().any(|k| k == key) {
            keys.push(key.to_owned());
        }
    }
    keys
}

/// `content` of `<meta name="{name}">` in the page, if present.
pub fn meta_content(name: &str) -> Option<String> {
    let document = web_sys::window()?.document()?;
    let meta = document
        .query_selector(&format!("meta[name=\"{name}\"]"))
        .ok()??;
    meta.get_attribute("content")
}

fn normalise_url(raw: &str) -> Option<String> {
    let url = raw.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host_ok = !rest.is_empty()
        && !rest.starts_with('/')
        && !rest
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '\\'));
    host_ok.then(|| url.to_owned())
}

fn normalise_prefix(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return None;
    }
    let inner = trimmed.trim_matches('/');
    if inner
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '\\'))
    {
        return None;
    }
    Some(if inner.is_empty() {
        String::new()
    } else {
        format!("/{inner}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(sources: &[(Option<&str>, Option<&str>)]) -> (String, String) {
        let sources: Vec<Source> = sources
            .iter()
            .map(|&(url, api_prefix)| Source {
                url,
                api_prefix,
                ..Source::default()
            })
            .collect();
        let c = StrapiConfig::resolve(&sources);
        (c.url, c.api_prefix)
    }

    #[test]
    fn nothing_configured_gives_strapis_defaults() {
        assert_eq!(
            resolve(&[(None, None), (None, None)]),
            ("http://localhost:1337".into(), "/api".into())
        );
    }

    #[test]
    fn meta_tags_win_over_build_time_values() {
        let meta = (Some("https://cms.example.com"), Some("/v2"));
        let build = (Some("http://build:1337"), Some("/api"));
        assert_eq!(
            resolve(&[meta, build]),
            ("https://cms.example.com".into(), "/v2".into())
        );
    }

    #[test]
    fn each_value_falls_through_on_its_own() {
        let meta = (None, Some("/custom"));
        let build = (Some("http://build:1337"), None);
        assert_eq!(
            resolve(&[meta, build]),
            ("http://build:1337".into(), "/custom".into())
        );
    }

    #[test]
    fn empty_meta_placeholders_count_as_unset() {
        let meta = (Some(""), Some("  "));
        let build = (Some("http://build:1337"), Some("/b"));
        assert_eq!(
            resolve(&[meta, build]),
            ("http://build:1337".into(), "/b".into())
        );
    }

    #[test]
    fn trailing_slashes_and_whitespace_are_removed() {
        assert_eq!(
            resolve(&[(Some(" http://h:1/ "), Some("api/"))]),
            ("http://h:1".into(), "/api".into())
        );
        assert_eq!(
            resolve(&[(Some("https://h/strapi//"), Some("//x/y//"))]),
            ("https://h/strapi".into(), "/x/y".into())
        );
    }

    #[test]
    fn a_lone_slash_prefix_means_no_prefix() {
        let c = StrapiConfig::resolve(&[Source {
            url: Some("http://h"),
            api_prefix: Some("/"),
            ..Source::default()
        }]);
        assert_eq!(c.api_prefix, "");
        assert_eq!(c.endpoint("/auth/local"), "http://h/auth/local");
    }

    #[test]
    fn urls_that_are_not_absolute_http_are_skipped() {
        for bad in [
            "localhost:1337",
            "/api",
            "ftp://h",
            "javascript:alert(1)",
            "http://",
            "http:///x",
            "http://a b",
            "http://h?x",
        ] {
            assert_eq!(
                resolve(&[(Some(bad), None)]).0,
                "http://localhost:1337",
                "{bad:?} should be rejected"
            );
        }
    }

    #[test]
    fn endpoint_joins_url_prefix_and_route() {
        let c = StrapiConfig::resolve(&[Source {
            url: Some("http://127.0.0.1:1337/"),
            api_prefix: Some("/api/"),
            ..Source::default()
        }]);
        assert_eq!(
            c.endpoint("/auth/local"),
            "http://127.0.0.1:1337/api/auth/local"
        );
    }

    #[test]
    fn refresh_transport_defaults_to_body_and_meta_wins() {
        let resolve = |meta, build| {
            StrapiConfig::resolve(&[
                Source {
                    refresh: meta,
                    ..Source::default()
                },
                Source {
                    refresh: build,
                    ..Source::default()
                },
            ])
            .cookie_refresh
        };
        assert!(!resolve(None, None));
        assert!(resolve(None, Some("cookie")));
        assert!(resolve(Some(" Cookie "), Some("body")));
        assert!(!resolve(Some("body"), Some("cookie")));
        assert!(resolve(Some(""), Some("cookie")), "empty meta is unset");
        assert!(!resolve(Some("bogus"), None));
    }

    #[test]
    fn sign_up_is_open_unless_a_source_says_off() {
        let open = |meta, build| {
            StrapiConfig::resolve(&[
                Source {
                    register: meta,
                    ..Source::default()
                },
                Source {
                    register: build,
                    ..Source::default()
                },
            ])
            .register_open
        };
        assert!(open(None, None));
        assert!(!open(Some("off"), None));
        assert!(!open(Some(" OFF "), Some("on")));
        assert!(!open(Some(""), Some("off")), "empty meta is unset");
        assert!(open(Some("on"), Some("off")));
        assert!(open(Some("yes"), None));
    }

    #[test]
    fn passkeys_are_off_unless_a_source_says_on() {
        let on = |meta, build| {
            StrapiConfig::resolve(&[
                Source {
                    passkeys: meta,
                    ..Source::default()
                },
                Source {
                    passkeys: build,
                    ..Source::default()
                },
            ])
            .passkeys
        };
        assert!(!on(None, None));
        assert!(on(Some(" ON "), None));
        assert!(!on(Some("off"), Some("on")), "the meta tag wins");
        assert!(on(Some(""), Some("on")), "empty meta is unset");
        assert!(!on(Some("yes please"), None), "only on and off are read");
    }

    #[test]
    fn providers_are_read_as_safe_keys_and_an_empty_list_is_unset() {
        let providers = |meta, build| {
            StrapiConfig::resolve(&[
                Source {
                    providers: meta,
                    ..Source::default()
                },
                Source {
                    providers: build,
                    ..Source::default()
                },
            ])
            .providers
        };
        assert!(providers(None, None).is_empty());
        assert_eq!(
            providers(Some(" github, google ,github"), None),
            ["github", "google"]
        );
        assert_eq!(providers(Some(""), Some("mock")), ["mock"]);
        assert_eq!(providers(Some(" , "), Some("mock")), ["mock"]);
        assert_eq!(
            providers(Some("../admin,git hub,ok_1,<b>,my-idp"), None),
            ["ok_1", "my-idp"]
        );
    }
}
