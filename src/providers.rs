//! Login providers (OAuth through Strapi): their names as people know them, and where the app
//! keeps the page to return to while the browser is away at the provider.

use gloo_storage::{SessionStorage, Storage};

/// The name of Strapi's provider `key` as people know it ("Continue with GitHub"); a key this app
/// does not know (a custom provider) shows as it is.
pub fn display_name(key: &str) -> &str {
    match key {
        "github" => "GitHub",
        "google" => "Google",
        "discord" => "Discord",
        "microsoft" => "Microsoft",
        "facebook" => "Facebook",
        "twitter" => "Twitter",
        "instagram" => "Instagram",
        "vk" => "VK",
        "twitch" => "Twitch",
        "linkedin" => "LinkedIn",
        "cognito" => "Amazon Cognito",
        "reddit" => "Reddit",
        "auth0" => "Auth0",
        "cas" => "CAS",
        "patreon" => "Patreon",
        "keycloak" => "Keycloak",
        other => other,
    }
}

/// The `sessionStorage` key under which the page to open after a provider login waits: the
/// provider sends the browser back without any query of ours (Strapi drops it), so the app keeps
/// the target itself, for this tab only.
pub const RETURN_KEY: &str = "strapi-login:after-provider-login";

/// Keeps `target` to open after the provider login that is starting, for this tab only
/// (`sessionStorage`, through gloo-storage), best effort: it is a convenience, never a credential.
pub fn remember_return(target: &str) {
    if session_storage_reachable() {
        let _ = SessionStorage::set(RETURN_KEY, target);
    }
}

/// What [`remember_return`] kept, removed as it is read.
pub fn take_return() -> Option<String> {
    if !session_storage_reachable() {
        return None;
    }
    let target = SessionStorage::get::<String>(RETURN_KEY).ok();
    SessionStorage::delete(RETURN_KEY);
    target
}

/// gloo-storage throws when the browser blocks storage (its `raw()` expects it): asked first.
fn session_storage_reachable() -> bool {
    web_sys::window().is_some_and(|w| matches!(w.session_storage(), Ok(Some(_))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_providers_get_their_names_and_others_show_as_given() {
        assert_eq!(display_name("github"), "GitHub");
        assert_eq!(display_name("linkedin"), "LinkedIn");
        assert_eq!(display_name("my-idp"), "my-idp");
    }
}
