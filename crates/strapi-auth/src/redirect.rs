//! Where to go after signing in: a `redirect` query parameter, honoured only when it is a path of
//! this app, so a crafted link cannot send a freshly signed-in person elsewhere.

/// `login_path` with `target` (a path and query of this app) to return to afterwards, as its
/// `redirect` parameter.
///
/// ```
/// use strapi_auth::redirect::returning_to;
///
/// assert_eq!(
///     returning_to("/auth/login", "/orders?page=2"),
///     "/auth/login?redirect=/orders%3Fpage%3D2"
/// );
/// ```
pub fn returning_to(login_path: &str, target: &str) -> String {
    format!("{login_path}?redirect={}", encode_component(target))
}

/// `requested` when it is safe to open after signing in, `None` otherwise.
///
/// `requested` is the parameter as the router decoded it. It must be an absolute path on this origin
/// (`/…`, never `//host` or `/\host`, which browsers treat as another host), with no backslash, space
/// or control character, and must stay so however many times it is percent-decoded again. A path in
/// `refused` (a trailing slash ignored) is refused too, so a login never loops back to the login page.
///
/// ```
/// use strapi_auth::redirect::safe_target;
///
/// let refused = ["/auth/login"];
/// assert_eq!(safe_target("/orders?page=2", &refused), Some("/orders?page=2"));
/// assert_eq!(safe_target("//evil.example", &refused), None);
/// assert_eq!(safe_target("/%2F%2Fevil.example", &refused), None);
/// assert_eq!(safe_target("/auth/login/", &refused), None);
/// ```
pub fn safe_target<'a>(requested: &'a str, refused: &[&str]) -> Option<&'a str> {
    let mut form = requested.to_owned();
    for _ in 0..4 {
        if !is_local_path(&form) {
            return None;
        }
        match percent_decode(&form) {
            Some(decoded) if decoded == form => break,
            Some(decoded) => form = decoded,
            None => return None,
        }
    }
    let path = requested.split(['?', '#']).next().unwrap_or_default();
    let path = path.trim_end_matches('/');
    if refused.iter().any(|r| r.trim_end_matches('/') == path) || !is_local_path(&form) {
        return None;
    }
    Some(requested)
}

fn is_local_path(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && !text
            .chars()
            .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
}

/// One round of percent-decoding; `None` if the result is not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h)? * 16 + hex(l)?) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Percent-encodes everything but RFC 3986's unreserved characters and `/`.
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_targets_are_refused() {
        let hostile = [
            "",
            "dashboard",
            "https://evil.example",
            "http:/evil.example",
            "//evil.example",
            "//evil.example/dashboard",
            "/\\evil.example",
            "\\\\evil.example",
            "/\\/evil.example",
            "\\/evil.example",
            "/dashboard\\..\\evil",
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "%2F%2Fevil.example",
            "/%2F%2Fevil.example",
            "/%2f%2fevil.example",
            "/%5Cevil.example",
            "/%255Cevil.example",
            "/%25252F%25252Fevil.example",
            "%2Fdashboard",
            " /dashboard",
            "/dashboard ",
            "\t//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/%0A/evil.example",
            "/%09/evil.example",
            "/%E0%A4%A",
            "/%FF",
            "/\u{3000}/evil.example",
            "/auth/login",
            "/auth/login/",
            "/auth/login?redirect=/dashboard",
        ];
        for target in hostile {
            assert_eq!(safe_target(target, &["/auth/login"]), None, "{target:?}");
        }
    }

    #[test]
    fn paths_of_this_app_are_kept_with_their_query() {
        for target in [
            "/dashboard",
            "/dashboard?tab=profile&x=1",
            "/dashboard#top",
            "/settings/profile",
            "/caf%C3%A9",
            "/javascript:alert(1)",
        ] {
            assert_eq!(
                safe_target(target, &["/auth/login"]),
                Some(target),
                "{target:?}"
            );
        }
    }

    #[test]
    fn the_login_link_round_trips_through_encoding() {
        let target = "/dashboard?tab=a b&x=/y#z";
        let link = returning_to("/auth/login", target);
        assert_eq!(
            link,
            "/auth/login?redirect=/dashboard%3Ftab%3Da%20b%26x%3D/y%23z"
        );
        let encoded = link.split_once("redirect=").unwrap().1;
        assert_eq!(percent_decode(encoded).as_deref(), Some(target));
    }
}
