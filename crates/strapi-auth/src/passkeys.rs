//! Passkeys, through the `strapi-plugin-passkeys` plugin (Strapi's Users & Permissions has no
//! passkey routes of its own): the plugin's answers parsed without I/O, and the types the
//! [`Strapi`](crate::Strapi) passkey calls take and give.
//!
//! A passkey ceremony has three steps: options from Strapi ([`PasskeyOptions`], WebAuthn's JSON
//! form, handed to the browser unchanged), the browser's prompt, and the browser's answer (its
//! `PublicKeyCredential` in JSON form) sent back to Strapi to check. This crate does the first and
//! the last; the prompt is the browser's (`leptos_strapi_auth::passkey` in a Leptos app).

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::answers::{clip, error, url_safe};
use crate::error::Error;

/// WebAuthn options from Strapi (`PublicKeyCredentialCreationOptionsJSON` or
/// `PublicKeyCredentialRequestOptionsJSON`), as JSON text for the browser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasskeyOptions(String);

impl PasskeyOptions {
    /// The options as Strapi sent them: a JSON object with a `challenge`.
    pub fn as_json(&self) -> &str {
        &self.0
    }
}

/// What the browser's passkey managers can be told of the person's passkeys
/// (`GET /passkeys/signals`), for WebAuthn's `PublicKeyCredential.signalAllAcceptedCredentials`:
/// passkeys of this site and person that are not listed here are gone and can be hidden.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PasskeySignals {
    /// The relying party id the passkeys belong to (`example.com`).
    pub rp_id: String,
    /// The person's WebAuthn user handle (base64url), when Strapi has one: without it there is
    /// nothing to tell.
    pub user_id: Option<String>,
    /// The ids of every passkey Strapi accepts for the person.
    pub credential_ids: Vec<PasskeyId>,
}

/// Whether `id` can be a relying party id: a host name (letters, digits, `-`, `.`), not empty.
fn is_rp_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 253
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

/// A passkey's id: the credential id, base64url, as the plugin lists it (safe in a URL path).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PasskeyId(String);

impl PasskeyId {
    /// `id` when it is 1 to 1,400 base64url characters (a credential id is at most 1,023 bytes).
    pub fn new(id: &str) -> Option<Self> {
        url_safe(id, 1400).then(|| Self(id.to_owned()))
    }

    /// The id as Strapi wrote it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One of the person's passkeys.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Passkey {
    /// Its id, to remove it with.
    pub id: PasskeyId,
    /// The name the person gave it ("Work laptop"), clipped.
    pub name: String,
    /// When it was added (ISO 8601, as Strapi sent it).
    pub created_at: Option<String>,
    /// When it last signed the person in (ISO 8601), if ever.
    pub last_used_at: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    id: String,
    name: String,
    created_at: Option<String>,
    last_used_at: Option<String>,
}

impl Entry {
    fn into_passkey(self) -> Option<Passkey> {
        Some(Passkey {
            id: PasskeyId::new(&self.id)?,
            name: clip(self.name.trim()),
            created_at: self.created_at,
            last_used_at: self.last_used_at,
        })
    }
}

fn success(status: u16, body: &str) -> Result<(), Error> {
    if (200..300).contains(&status) {
        Ok(())
    } else {
        Err(error(status, body))
    }
}

/// `POST /passkeys/registration/options` and `/passkeys/authentication/options`: a JSON object
/// with a string `challenge`, kept as it is.
pub fn options(status: u16, body: &str) -> Result<PasskeyOptions, Error> {
    #[derive(Deserialize)]
    struct Options<'a> {
        #[serde(borrow)]
        challenge: &'a str,
    }
    success(status, body)?;
    // serde's derived structs would also read an array.
    if !body.trim_start().starts_with('{') {
        return Err(Error::UnexpectedAnswer);
    }
    match serde_json::from_str::<Options>(body) {
        Ok(options) if !options.challenge.is_empty() => Ok(PasskeyOptions(body.to_owned())),
        _ => Err(Error::UnexpectedAnswer),
    }
}

/// `POST /passkeys/registration/verify` (and `POST /passkeys/remove`, whose answer
/// [`Strapi::remove_passkey`](crate::Strapi::remove_passkey) does not need): the passkey
/// `{id, name, createdAt, lastUsedAt}`.
pub fn passkey(status: u16, body: &str) -> Result<Passkey, Error> {
    success(status, body)?;
    serde_json::from_str::<Entry>(body)
        .ok()
        .and_then(Entry::into_passkey)
        .ok_or(Error::UnexpectedAnswer)
}

/// `GET /passkeys`: the person's passkeys, oldest first. An entry whose id could not be sent
/// back in a URL is left out.
pub fn passkeys(status: u16, body: &str) -> Result<Vec<Passkey>, Error> {
    success(status, body)?;
    let list: Vec<Entry> = serde_json::from_str(body).map_err(|_| Error::UnexpectedAnswer)?;
    Ok(list.into_iter().filter_map(Entry::into_passkey).collect())
}

/// `GET /passkeys/signals`: `{"rpId", "userId", "credentialIds": [...]}`. Ids that are not
/// base64url are left out; a user handle that is not is no user handle.
pub fn signals(status: u16, body: &str) -> Result<PasskeySignals, Error> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Signals {
        rp_id: String,
        #[serde(default)]
        user_id: Option<String>,
        credential_ids: Vec<String>,
    }
    let answer: Signals = crate::confirmation::object(status, body)?;
    if !is_rp_id(&answer.rp_id) {
        return Err(Error::UnexpectedAnswer);
    }
    Ok(PasskeySignals {
        rp_id: answer.rp_id,
        user_id: answer.user_id.filter(|id| url_safe(id, 128)),
        credential_ids: answer
            .credential_ids
            .iter()
            .filter_map(|id| PasskeyId::new(id))
            .collect(),
    })
}

/// The id of a credential the browser answered with (its `PublicKeyCredential` as JSON), if it
/// has one that can be a passkey's: to tell the browser when Strapi does not know it.
///
/// ```
/// # use serde_json::value::RawValue;
/// let answer = RawValue::from_string(r#"{"id":"AbC-_1","type":"public-key"}"#.to_owned()).unwrap();
/// assert_eq!(strapi_auth::passkeys::credential_id(&answer).unwrap().as_str(), "AbC-_1");
/// ```
pub fn credential_id(credential: &RawValue) -> Option<PasskeyId> {
    #[derive(Deserialize)]
    struct Credential<'a> {
        #[serde(borrow)]
        id: &'a str,
    }
    // serde's derived structs would also read an array.
    let json = credential.get().trim_start();
    if !json.starts_with('{') {
        return None;
    }
    let credential: Credential = serde_json::from_str(json).ok()?;
    PasskeyId::new(credential.id)
}

/// The body of a verification: `{"credential": <the browser's answer>, …}` with string fields.
pub(crate) fn verification(credential: &RawValue, fields: &[(&str, &str)]) -> String {
    let mut body = String::from("{\"credential\":");
    body.push_str(credential.get());
    for (name, value) in fields {
        // Strings to JSON strings: serde_json has nothing to refuse.
        let name = serde_json::to_string(name).unwrap_or_default();
        let value = serde_json::to_string(value).unwrap_or_default();
        body.push_str(&format!(",{name}:{value}"));
    }
    body.push('}');
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn options_are_kept_as_sent_when_they_carry_a_challenge() {
        let body = r#"{"rpId":"localhost","challenge":"abc","userVerification":"required"}"#;
        assert_eq!(options(200, body).unwrap().as_json(), body);
        assert_eq!(
            options(200, r#"{"challenge":""}"#),
            Err(Error::UnexpectedAnswer)
        );
        assert_eq!(options(200, "[]"), Err(Error::UnexpectedAnswer));
        assert_eq!(options(200, r#"["abc"]"#), Err(Error::UnexpectedAnswer));
        assert_eq!(options(200, "<html>"), Err(Error::UnexpectedAnswer));
    }

    #[test]
    fn a_list_keeps_the_entries_it_can_address() {
        let body = r#"[{"id":"AbC-_1","name":" Laptop ","createdAt":"2026-12-03T10:00:00.000Z","lastUsedAt":null},
                      {"id":"bad/id","name":"x","createdAt":null,"lastUsedAt":null}]"#;
        let list = passkeys(200, body).unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].id.as_str(), "AbC-_1");
        assert_eq!(list[0].name, "Laptop");
        assert_eq!(list[0].last_used_at, None);
        assert_eq!(passkeys(200, "{}"), Err(Error::UnexpectedAnswer));
    }

    #[test]
    fn the_plugins_refusals_are_kinds() {
        let refusal = |message: &str| {
            format!(
                r#"{{"data":null,"error":{{"status":400,"name":"ValidationError","message":"{message}","details":{{}}}}}}"#
            )
        };
        let kind = |status, message| passkey(status, &refusal(message)).unwrap_err().kind();
        assert_eq!(kind(400, "Invalid passkey"), ErrorKind::PasskeyRefused);
        assert_eq!(
            kind(400, "Passkey challenge expired or already used"),
            ErrorKind::PasskeyChallengeExpired
        );
        assert_eq!(
            kind(400, "Passkey already registered"),
            ErrorKind::PasskeyTaken
        );
        assert_eq!(kind(404, "Passkey not found"), ErrorKind::PasskeyNotFound);
        assert_eq!(kind(400, "Invalid passkey name"), ErrorKind::Invalid);
        assert_eq!(kind(400, "Too many passkeys"), ErrorKind::TooManyPasskeys);
    }

    #[test]
    fn signals_keep_the_ids_they_can_name() {
        let body =
            r#"{"rpId":"localhost","userId":"dXNlcg","credentialIds":["AbC","not/one","dEf"]}"#;
        let read = signals(200, body).unwrap();
        assert_eq!(read.rp_id, "localhost");
        assert_eq!(read.user_id.as_deref(), Some("dXNlcg"));
        let ids: Vec<_> = read.credential_ids.iter().map(PasskeyId::as_str).collect();
        assert_eq!(ids, ["AbC", "dEf"]);
        let without_user = r#"{"rpId":"localhost","userId":null,"credentialIds":[]}"#;
        assert_eq!(signals(200, without_user).unwrap().user_id, None);
        for bad in [
            "{}",
            r#"{"rpId":"","credentialIds":[]}"#,
            r#"{"rpId":"x y","credentialIds":[]}"#,
            r#"{"rpId":"localhost"}"#,
            "[]",
        ] {
            assert_eq!(signals(200, bad), Err(Error::UnexpectedAnswer), "{bad}");
        }
    }

    #[test]
    fn a_credential_names_its_id_when_it_can_be_a_passkeys() {
        let id = |json: &str| credential_id(&RawValue::from_string(json.to_owned()).unwrap());
        assert_eq!(id(r#"{"id":"AbC","rawId":"AbC"}"#).unwrap().as_str(), "AbC");
        assert_eq!(id(r#"{"id":"a/b"}"#), None);
        assert_eq!(id(r#"{"rawId":"AbC"}"#), None);
        assert_eq!(id(r#"["AbC"]"#), None);
    }

    #[test]
    fn a_verification_embeds_the_browsers_answer_unchanged() {
        let credential = RawValue::from_string(r#"{"id":"x","type":"public-key"}"#.into()).unwrap();
        assert_eq!(
            verification(&credential, &[("name", "Ann's \"key\"")]),
            r#"{"credential":{"id":"x","type":"public-key"},"name":"Ann's \"key\""}"#
        );
    }
}
