//! Passkeys in the browser: WebAuthn's prompt fed the options Strapi's passkey plugin
//! (`strapi-plugin-passkeys`) hands out, its answer sent back through [`strapi_auth`]. The
//! [`Auth`](crate::Auth) methods `log_in_with_passkey`, `add_passkey`, `passkeys`,
//! `remove_passkey`, `remove_all_passkeys` and `confirm_with_passkey` run whole ceremonies; the
//! functions here are their browser half.
//!
//! The options and answers cross into WebAuthn through the browser's own JSON methods
//! (`PublicKeyCredential.parseCreationOptionsFromJSON`, `parseRequestOptionsFromJSON`,
//! `PublicKeyCredential.toJSON`), so nothing is re-encoded here; a browser without them counts as
//! one without passkeys ([`is_supported`]).
//!
//! The browser's passkey managers can also be told what Strapi knows (WebAuthn's signal API:
//! [`signal_unknown`], [`signal_accepted`]), so that they stop offering removed passkeys; where a
//! browser lacks it, nothing happens.

use js_sys::{Function, JSON, Object, Promise, Reflect};
use serde_json::value::RawValue;
use strapi_auth::{Error, ErrorKind, PasskeyId, PasskeyOptions, PasskeySignals};
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

/// `PublicKeyCredential[method]`, if this browser has it.
fn signal_method(method: &str) -> Option<(JsValue, Function)> {
    let class = Reflect::get(&js_sys::global(), &"PublicKeyCredential".into()).ok()?;
    let function = Reflect::get(&class, &method.into()).ok()?;
    let function = function.dyn_into::<Function>().ok()?;
    Some((class, function))
}

/// Whether this browser can be told of a passkey Strapi does not know ([`signal_unknown`]).
pub fn can_signal_unknown() -> bool {
    signal_method("signalUnknownCredential").is_some()
}

/// Whether this browser can be told which passkeys Strapi accepts ([`signal_accepted`]).
pub fn can_signal_accepted() -> bool {
    signal_method("signalAllAcceptedCredentials").is_some()
}

/// Tells the browser that Strapi does not know the passkey `credential_id` of the site `rp_id`
/// (`PublicKeyCredential.signalUnknownCredential`): removed, or never registered. Its passkey
/// manager may hide or delete it. Nothing happens where the browser lacks the call, and a refusal
/// is ignored: it is a courtesy, never a step of a flow.
pub fn signal_unknown(rp_id: &str, credential_id: &PasskeyId) {
    let options = Object::new();
    set(&options, "rpId", &rp_id.into());
    set(&options, "credentialId", &credential_id.as_str().into());
    signal("signalUnknownCredential", options);
}

/// Tells the browser which passkeys of the person Strapi accepts
/// (`PublicKeyCredential.signalAllAcceptedCredentials`), so that its passkey manager can hide the
/// person's others on this site. Skipped when Strapi named no user handle; nothing happens where
/// the browser lacks the call, and a refusal is ignored.
pub fn signal_accepted(signals: &PasskeySignals) {
    let Some(user_id) = &signals.user_id else {
        return;
    };
    let ids: js_sys::Array = signals
        .credential_ids
        .iter()
        .map(|id| JsValue::from(id.as_str()))
        .collect();
    let options = Object::new();
    set(&options, "rpId", &signals.rp_id.as_str().into());
    set(&options, "userId", &user_id.as_str().into());
    set(&options, "allAcceptedCredentialIds", &ids);
    signal("signalAllAcceptedCredentials", options);
}

fn signal(method: &str, options: Object) {
    let Some((class, function)) = signal_method(method) else {
        return;
    };
    let Ok(promise) = function.call1(&class, &options) else {
        return;
    };
    // Awaited only so that a refusal is not reported as an unhandled rejection.
    if let Ok(promise) = promise.dyn_into::<Promise>() {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(promise).await;
        });
    }
}

/// The relying party id of a ceremony with `options`: the one they name (`rpId` of sign-in
/// options, `rp.id` of registration options), else WebAuthn's default, this page's host.
pub fn rp_id_of(options: &PasskeyOptions) -> String {
    let named = JSON::parse(options.as_json()).ok().and_then(|json| {
        let rp_id = Reflect::get(&json, &"rpId".into()).ok()?;
        let rp_id = match rp_id.as_string() {
            Some(id) => id,
            None => {
                let rp = Reflect::get(&json, &"rp".into()).ok()?;
                Reflect::get(&rp, &"id".into()).ok()?.as_string()?
            }
        };
        (!rp_id.is_empty()).then_some(rp_id)
    });
    named.unwrap_or_else(|| {
        Reflect::get(&js_sys::global(), &"location".into())
            .and_then(|location| Reflect::get(&location, &"hostname".into()))
            .ok()
            .and_then(|host| host.as_string())
            .unwrap_or_default()
    })
}
