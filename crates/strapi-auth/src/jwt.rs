//! Reading a JWT's timing claims (`iat`, `exp`) without verifying it: the client only needs to know
//! when a token stops working; Strapi checks signatures.

use serde::Deserialize;

/// When a token was issued and when it expires, in seconds since the Unix epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lifetime {
    /// `iat`, when the token has one.
    pub issued_at: Option<u64>,
    /// `exp`.
    pub expires_at: u64,
}

impl Lifetime {
    /// How long the token was issued for, in milliseconds, when it says (`iat` before `exp`).
    pub fn life_ms(self) -> Option<u64> {
        let iat = self.issued_at?;
        (self.expires_at > iat).then(|| (self.expires_at - iat).saturating_mul(1000))
    }
}

/// The token's lifetime, or `None` if it is not a JWT with a numeric `exp`.
pub fn lifetime(token: &str) -> Option<Lifetime> {
    let mut parts = token.split('.');
    let (_header, payload) = (parts.next()?, parts.next()?);
    parts.next()?; // the signature must be there too
    let payload = String::from_utf8(base64url_decode(payload)?).ok()?;
    let claims: Claims = serde_json::from_str(&payload).ok()?;
    Some(Lifetime {
        issued_at: claims.iat,
        expires_at: claims.exp,
    })
}

/// The claims this crate reads; `iat` may be missing or null, present it must be a number like `exp`.
#[derive(Deserialize)]
struct Claims {
    exp: u64,
    #[serde(default)]
    iat: Option<u64>,
}

/// Unpadded base64url (RFC 4648 §5), as JWTs use; `None` on any other character.
fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // From the recorded Strapi exchanges: a legacy JWT and a refresh-mode access token.
    const LEGACY: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6MSwiaWF0IjoxNzk1NTAwNDA2LCJleHAiOjE3OTgwOTI0MDZ9.pECGKa7dv6sRWtuCSjsr3rDW_WNyRiiyVOf9ozq8vT0";
    const ACCESS: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VySWQiOiIxIiwic2Vzc2lvbklkIjoiMTExOTg3ODUwYjU5OWFiZDJhNzc3Y2I3OTgwODEwNzkiLCJ0eXBlIjoiYWNjZXNzIiwiaWF0IjoxNzk1NTAwNTU3LCJleHAiOjE3OTU1MDA1NjJ9.JfR47ZJDYDuE--4RmqO4yMXelZfVyjDNwiydBe6GSBo";

    #[test]
    fn strapi_tokens_give_their_timing() {
        assert_eq!(
            lifetime(LEGACY),
            Some(Lifetime {
                issued_at: Some(1_795_500_406),
                expires_at: 1_798_092_406
            })
        );
        let access = lifetime(ACCESS).unwrap();
        assert_eq!(access.expires_at - access.issued_at.unwrap(), 5);
        assert_eq!(access.life_ms(), Some(5_000));
        let backwards = Lifetime {
            issued_at: Some(10),
            expires_at: 10,
        };
        assert_eq!(backwards.life_ms(), None, "exp not after iat: no life");
    }

    #[test]
    fn base64url_matches_known_vectors() {
        for (encoded, plain) in [
            ("", ""),
            ("Zg", "f"),
            ("Zm8", "fo"),
            ("Zm9v", "foo"),
            ("Zm9vYg", "foob"),
            ("Zm9vYmE=", "fooba"),
        ] {
            assert_eq!(base64url_decode(encoded).unwrap(), plain.as_bytes());
        }
        assert_eq!(base64url_decode("-_8").unwrap(), [0xfb, 0xff]);
        assert_eq!(base64url_decode("a+b/"), None);
    }

    #[test]
    fn anything_else_has_no_lifetime() {
        for token in [
            "",
            "abc",
            "a.b",
            "a.b.c",
            "x.eyJpYXQiOjF9.s",    // {"iat":1}: no exp
            "x.eyJleHAiOiIxIn0.s", // {"exp":"1"}: not a number
            "x.eyJleHAiOi0xfQ.s",  // {"exp":-1}
            "x.bm90IGpzb24.s",     // "not json"
            "x.eyJleHAiOjF9",      // no signature part
        ] {
            assert_eq!(lifetime(token), None, "{token:?}");
        }
        assert_eq!(
            lifetime("x.eyJleHAiOjF9.s"),
            Some(Lifetime {
                issued_at: None,
                expires_at: 1
            })
        );
    }
}
