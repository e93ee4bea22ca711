//! Passkeys in the browser: WebAuthn's prompt fed the options Strapi's passkey plugin
//! (`strapi-plugin-passkeys`) hands out, its answer sent back through [`strapi_auth`]. The
//! [`Auth`](crate::Auth) methods `log_in_with_passkey`, `add_passkey`, `passkeys` and
//! `remove_passkey` run whole ceremonies; the functions here are their browser half.
//!
//! The options and answers cross into WebAuthn through the browser's own JSON methods
//! (`PublicKeyCredential.parseCreationOptionsFromJSON`, `parseRequestOptionsFromJSON`,
//! `PublicKeyCredential.toJSON`), so nothing is re-encoded here; a browser without them counts as
//! one without passkeys ([`is_supported`]).

use js_sys::{Function, JSON, Object, Promise, Reflect};
use serde_json::value::RawValue;
use strapi_auth::{Error, ErrorKind, PasskeyOptions};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use crate::SignInError;

/// Why a passkey ceremony did not finish.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PasskeyError {
    /// This browser cannot use passkeys (no WebAuthn, or not its JSON methods).
    Unsupported,
    /// The prompt was closed, timed out, or found no passkey for this site: browsers do not tell
    /// these apart (`NotAllowedError`), so that a page cannot learn which passkeys exist.
    Cancelled,
    /// The app aborted the prompt (its `AbortSignal`), e.g. to open another.
    Aborted,
    /// Creating: this authenticator already holds a passkey of this person for this site.
    AlreadyRegistered,
    /// The browser would not run the ceremony with these options: the relying party id is not
    /// this site's (`SecurityError`), or it supports none of the offered algorithms.
    NotAllowedHere,
    /// Before any prompt: Strapi refused to hand out options, or could not be reached (a Strapi
    /// without strapi-plugin-passkeys answers 404 here).
    Options(Error),
    /// After the prompt: Strapi refused the passkey or could not be reached, or the session it
    /// gave could not be stored.
    Strapi(SignInError),
}

impl PasskeyError {
    /// Strapi's refusal as a kind, when Strapi is why.
    pub fn kind(&self) -> Option<ErrorKind> {
        match self {
            PasskeyError::Options(error) => Some(error.kind()),
            PasskeyError::Strapi(error) => error.kind(),
            _ => None,
        }
    }
}

/// For logs and developers; people should see the app's own words.
impl std::fmt::Display for PasskeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PasskeyError::Unsupported => f.write_str("this browser cannot use passkeys"),
            PasskeyError::Cancelled => f.write_str("the passkey prompt was closed or found none"),
            PasskeyError::Aborted => f.write_str("the passkey prompt was aborted"),
            PasskeyError::AlreadyRegistered => f.write_str("the authenticator has this passkey"),
            PasskeyError::NotAllowedHere => f.write_str("the browser refused the passkey options"),
            PasskeyError::Options(error) | PasskeyError::Strapi(SignInError::Strapi(error)) => {
                error.fmt(f)
            }
            PasskeyError::Strapi(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for PasskeyError {}

impl From<Error> for PasskeyError {
    fn from(error: Error) -> Self {
        PasskeyError::Strapi(error.into())
    }
}

impl From<SignInError> for PasskeyError {
    fn from(error: SignInError) -> Self {
        PasskeyError::Strapi(error)
    }
}

/// How a sign-in prompt appears.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mediation {
    /// The browser's dialog, now (after a click on "Sign in with a passkey").
    #[default]
    Modal,
    /// Passkey autofill: the browser offers the site's passkeys among the suggestions of a field
    /// with `autocomplete="username webauthn"`, and the prompt waits until one is picked (or the
    /// signal aborts it). Only where [`conditional_mediation_available`] says so.
    Conditional,
}

/// The `PublicKeyCredential` interface, if this browser has it with its JSON methods.
fn public_key_credential() -> Option<Object> {
    let class = Reflect::get(&js_sys::global(), &"PublicKeyCredential".into()).ok()?;
    let has = |name: &str| Reflect::get(&class, &name.into()).is_ok_and(|f| f.is_function());
    (class.is_function()
        && has("parseCreationOptionsFromJSON")
        && has("parseRequestOptionsFromJSON"))
    .then(|| class.unchecked_into())
}

/// Whether this browser can use passkeys here (WebAuthn with its JSON methods).
pub fn is_supported() -> bool {
    public_key_credential().is_some()
}

/// Whether this browser offers passkeys in autofill ([`Mediation::Conditional`]).
pub async fn conditional_mediation_available() -> bool {
    let Some(class) = public_key_credential() else {
        return false;
    };
    let Ok(available) = call(&class, "isConditionalMediationAvailable", &[]) else {
        return false;
    };
    match available.dyn_into::<Promise>() {
        Ok(promise) => JsFuture::from(promise).await.is_ok_and(|v| v.is_truthy()),
        Err(_) => false,
    }
}

/// `navigator.credentials.create()` with Strapi's registration options: the new passkey, as the
/// JSON Strapi checks.
pub async fn create(options: &PasskeyOptions) -> Result<Box<RawValue>, PasskeyError> {
    let class = public_key_credential().ok_or(PasskeyError::Unsupported)?;
    let public_key = parse_options(&class, "parseCreationOptionsFromJSON", options)?;
    let request = Object::new();
    set(&request, "publicKey", &public_key);
    ceremony("create", &request).await
}

/// `navigator.credentials.get()` with Strapi's sign-in options, shown as `mediation` says and
/// ended early by `signal`: the answer, as the JSON Strapi checks.
pub async fn get(
    options: &PasskeyOptions,
    mediation: Mediation,
    signal: Option<&AbortSignal>,
) -> Result<Box<RawValue>, PasskeyError> {
    let class = public_key_credential().ok_or(PasskeyError::Unsupported)?;
    let public_key = parse_options(&class, "parseRequestOptionsFromJSON", options)?;
    let request = Object::new();
    set(&request, "publicKey", &public_key);
    if mediation == Mediation::Conditional {
        set(&request, "mediation", &"conditional".into());
    }
    if let Some(signal) = signal {
        set(&request, "signal", signal.as_ref());
    }
    ceremony("get", &request).await
}

fn parse_options(
    class: &Object,
    method: &str,
    options: &PasskeyOptions,
) -> Result<JsValue, PasskeyError> {
    let json = JSON::parse(options.as_json()).map_err(|_| Error::UnexpectedAnswer)?;
    call(class, method, &[json]).map_err(|_| PasskeyError::Strapi(Error::UnexpectedAnswer.into()))
}

/// `navigator.credentials[method](request)`, its credential as JSON.
async fn ceremony(method: &str, request: &Object) -> Result<Box<RawValue>, PasskeyError> {
    let navigator = Reflect::get(&js_sys::global(), &"navigator".into())
        .map_err(|_| PasskeyError::Unsupported)?;
    let credentials =
        Reflect::get(&navigator, &"credentials".into()).map_err(|_| PasskeyError::Unsupported)?;
    let promise = call(&credentials, method, &[request.into()]).map_err(refusal)?;
    let promise = promise
        .dyn_into::<Promise>()
        .map_err(|_| PasskeyError::Unsupported)?;
    let credential = JsFuture::from(promise).await.map_err(refusal)?;
    if credential.is_null() || credential.is_undefined() {
        return Err(PasskeyError::Cancelled);
    }
    let json = call(&credential, "toJSON", &[]).map_err(|_| PasskeyError::Unsupported)?;
    let text = JSON::stringify(&json).map_err(|_| PasskeyError::Unsupported)?;
    RawValue::from_string(String::from(text)).map_err(|_| PasskeyError::Unsupported)
}

/// What a rejected WebAuthn call means, by the `DOMException`'s name.
fn refusal(error: JsValue) -> PasskeyError {
    let name = Reflect::get(&error, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default();
    match name.as_str() {
        "AbortError" => PasskeyError::Aborted,
        "InvalidStateError" => PasskeyError::AlreadyRegistered,
        "SecurityError" | "NotSupportedError" => PasskeyError::NotAllowedHere,
        // NotAllowedError, and anything a browser invents: the prompt did not give a passkey.
        _ => PasskeyError::Cancelled,
    }
}

fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let function: Function = Reflect::get(target, &method.into())?.dyn_into()?;
    let args: js_sys::Array = args.iter().collect();
    function.apply(target, &args)
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Setting a property of a plain object cannot fail.
    let _ = Reflect::set(target, &key.into(), value);
}
