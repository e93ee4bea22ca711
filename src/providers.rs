//! Login providers (OAuth through Strapi): their names as people know them, and where the app
//! keeps the page to return to while the browser is away at the provider.

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

/// The provider key in a path of the provider's return page, `/connect/:provider/redirect`.
pub fn provider_in(path: &str) -> Option<&str> {
    let key = path.strip_prefix("/connect/")?.strip_suffix("/redirect")?;
    (!key.is_empty() && !key.contains('/')).then_some(key)
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

    #[test]
    fn the_provider_is_the_one_segment_between_connect_and_redirect() {
        assert_eq!(provider_in("/connect/github/redirect"), Some("github"));
        for other in [
            "/connect//redirect",
            "/connect/a/b/redirect",
            "/connect/github",
            "/auth/login",
        ] {
            assert_eq!(provider_in(other), None, "{other}");
        }
    }
}
