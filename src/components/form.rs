//! The one way a form is submitted: checks before anything is sent, a single request in flight,
//! and on failure Strapi's message in an alert, per-field messages under their fields, focus where
//! the person must act, passwords cleared, the form usable again. Each page brings only its
//! fields, its checks and its Strapi call.

use std::future::Future;
use std::pin::Pin;

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::tachys::html::attribute::custom::custom_attribute;
use leptos::task::{spawn_local, tick};
use wasm_bindgen::JsCast;

use super::ResendConfirmation;
use crate::i18n::{T, Text, t, tr, tr_while};
use crate::messages::{error_text, field_text};
use crate::routes::Page;
use leptos_strapi_auth::SignInError;
use strapi_auth::{Error, Field};

/// What a form shows after a failed attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The sentence in the alert.
    pub summary: Text,
    /// Messages for single fields, in the form's order.
    pub fields: Vec<(Field, Text)>,
    /// Something the person can do about it, offered in the alert.
    pub remedy: Option<Remedy>,
}

/// A way out of a failure, offered with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Remedy {
    /// "Resend confirmation email" to this address.
    ResendConfirmation(String),
    /// A link to ask for a new password-reset email.
    NewResetLink,
}

impl Problem {
    pub fn new(summary: impl Into<Text>) -> Self {
        Self {
            summary: summary.into(),
            fields: Vec::new(),
            remedy: None,
        }
    }

    /// Strapi's own message, and its per-field messages next to their fields.
    pub fn from_api(error: &Error) -> Self {
        let fields = error.fields().iter().map(|f| {
            let worded = f.clone();
            (f.field, Text::new(move || field_text(&worded)))
        });
        let error = error.clone();
        Self {
            fields: fields.collect(),
            ..Self::new(Text::new(move || error_text(&error)))
        }
    }

    /// A flow that should have ended signed in: Strapi's refusal as [`Problem::from_api`], or
    /// the browser's refusal to store the session.
    pub fn from_sign_in(error: &SignInError, refused: impl FnOnce(&Error) -> Problem) -> Self {
        match error {
            SignInError::Strapi(error) => refused(error),
            _ => Self::storage_blocked(),
        }
    }

    pub fn storage_blocked() -> Self {
        Self::new(T::StorageBlocked)
    }

    pub fn with_remedy(mut self, remedy: Remedy) -> Self {
        self.remedy = Some(remedy);
        self
    }

    /// The message under `field`, worded now.
    pub fn field(&self, field: Field) -> Option<String> {
        self.fields
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, message)| message.get())
    }
}

/// The checks a form makes before sending, collected field by field in the form's order.
#[derive(Default)]
pub struct Checks(Vec<(Field, T)>);

/// Strapi's limits on a password: at least 6 characters (its user model), at most 72 bytes of
/// UTF-8 (bcrypt's limit, enforced by its validation).
pub const MIN_PASSWORD_CHARS: usize = 6;
pub const MAX_PASSWORD_BYTES: usize = 72;
/// Strapi's minimum length of a username.
pub const MIN_USERNAME_CHARS: usize = 3;

impl Checks {
    /// Flags `field` with `message` unless `ok`.
    pub fn expect(&mut self, ok: bool, field: Field, message: T) -> &mut Self {
        if !ok && self.0.iter().all(|(f, _)| *f != field) {
            self.0.push((field, message));
        }
        self
    }

    pub fn filled(&mut self, value: &str, field: Field, message: T) -> &mut Self {
        self.expect(!value.is_empty(), field, message)
    }

    /// Something Strapi could take for an email address (it has the last word).
    pub fn email(&mut self, value: &str, field: Field) -> &mut Self {
        self.filled(value, field, T::EnterEmail);
        self.expect(looks_like_email(value), field, T::EnterValidEmail)
    }

    /// A new password within Strapi's limits.
    pub fn new_password(&mut self, value: &str, field: Field) -> &mut Self {
        self.filled(value, field, T::EnterPassword);
        self.expect(
            value.chars().count() >= MIN_PASSWORD_CHARS,
            field,
            T::PasswordTooShort,
        );
        self.expect(value.len() <= MAX_PASSWORD_BYTES, field, T::PasswordTooLong)
    }

    /// The confirmation of a new password: the same text again.
    pub fn confirmation(&mut self, password: &str, confirmation: &str) -> &mut Self {
        let field = Field::PasswordConfirmation;
        self.filled(confirmation, field, T::EnterPasswordAgain);
        self.expect(password == confirmation, field, T::PasswordsDiffer)
    }

    /// Nothing flagged, or the problem to show: its fields, and their messages as the summary.
    pub fn finish(&mut self) -> Result<(), Problem> {
        if self.0.is_empty() {
            return Ok(());
        }
        let flagged = std::mem::take(&mut self.0);
        let messages: Vec<T> = flagged.iter().map(|(_, message)| *message).collect();
        let summary = Text::new(move || {
            let worded: Vec<_> = messages.iter().map(|m| t(*m)).collect();
            worded.join(" ")
        });
        let fields = flagged.into_iter().map(|(f, m)| (f, m.into())).collect();
        Err(Problem {
            fields,
            ..Problem::new(summary)
        })
    }
}

/// One `@` with something on both sides and no spaces: enough to catch a slip; Strapi checks the rest.
pub fn looks_like_email(value: &str) -> bool {
    match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !value.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// An attempt in flight: the Strapi call and what follows it.
pub type Attempt = Pin<Box<dyn Future<Output = Result<(), Problem>>>>;

/// A page's checks and Strapi call: a problem found before sending, or the attempt to run.
pub type Submit = Box<dyn Fn() -> Result<Attempt, Problem> + Send>;

/// A form's state: whether an attempt is in flight, and the problem it shows. `Copy`.
#[derive(Clone, Copy)]
pub struct Form {
    pending: RwSignal<bool>,
    problem: RwSignal<Option<Problem>>,
    element: NodeRef<html::Form>,
    alert: NodeRef<html::Div>,
}

impl Default for Form {
    fn default() -> Self {
        Self::new()
    }
}

impl Form {
    pub fn new() -> Self {
        Self {
            pending: RwSignal::new(false),
            problem: RwSignal::new(None),
            element: NodeRef::new(),
            alert: NodeRef::new(),
        }
    }

    /// The message under `field`, if any.
    pub fn error(self, field: Field) -> Signal<Option<String>> {
        let problem = self.problem;
        Signal::derive(move || problem.with(|p| p.as_ref().and_then(|p| p.field(field))))
    }

    /// Shows `problem`, then moves focus where the person must act: the first field it flags, or
    /// the alert itself (which screen readers then read out).
    pub fn show(self, problem: Problem) {
        self.problem.set(Some(problem));
        spawn_local(async move {
            tick().await;
            let first_invalid = self
                .element
                .get_untracked()
                .and_then(|form| form.query_selector("[aria-invalid=true]").ok().flatten())
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
            let _ = match first_invalid {
                Some(input) => input.focus(),
                None => self.alert.get_untracked().map_or(Ok(()), |el| el.focus()),
            };
        });
    }

    /// Runs the page's checks and, if they pass, its attempt, unless one is already in flight.
    fn submit(self, submit: &Submit, secrets: &[RwSignal<String>]) {
        // The button is disabled in flight, but a fast double click can beat the re-render: this
        // guard is what guarantees a single request.
        if self.pending.get_untracked() {
            return;
        }
        let attempt = match submit() {
            Ok(attempt) => attempt,
            Err(problem) => return self.show(problem),
        };
        self.pending.set(true);
        self.problem.set(None);
        let secrets = secrets.to_vec();
        spawn_local(async move {
            let outcome = attempt.await;
            // The page may be gone (a success moves on): nothing left to update then.
            if self.pending.try_set(false).is_some() {
                return;
            }
            if let Err(problem) = outcome {
                for secret in secrets {
                    secret.set(String::new());
                }
                self.show(problem);
            }
        });
    }
}

/// A form with its alert and submit button: `children` are its fields.
#[component]
pub fn FormView(
    form: Form,
    submit: Submit,
    /// The button's text, and its text while the attempt is in flight.
    button: T,
    busy: T,
    /// Inputs cleared after a failed attempt (passwords).
    #[prop(optional)]
    secrets: Vec<RwSignal<String>>,
    children: Children,
) -> impl IntoView {
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        form.submit(&submit, &secrets);
    };
    let pending = form.pending;
    view! {
        {move || form.problem.get().map(|p| view! { <Alert problem=p node_ref=form.alert /> })}
        <form class="form" novalidate on:submit=on_submit node_ref=form.element>
            {children()}
            // `elementtiming`: when the form's button is painted, the benchmark's "form visible".
            // `data-busy`: what the pre-rendered login page's button says while a login the person
            // asked for before the app started waits for it (scripts/post-build.mjs).
            <button
                type="submit"
                class="button"
                data-busy=tr(busy)
                {..custom_attribute("elementtiming", "form")}
                disabled=move || pending.get()
            >
                {tr_while(pending, busy, button)}
            </button>
        </form>
    }
}

/// The alert of a failed attempt, with its remedy.
#[component]
fn Alert(problem: Problem, node_ref: NodeRef<html::Div>) -> impl IntoView {
    let (resend_to, new_link) = match problem.remedy {
        Some(Remedy::ResendConfirmation(email)) => (Some(email), false),
        Some(Remedy::NewResetLink) => (None, true),
        None => (None, false),
    };
    view! {
        <div class="alert" role="alert" tabindex="-1" node_ref=node_ref>
            <p>{move || problem.summary.get()}</p>
            {resend_to.map(|email| view! { <ResendConfirmation email /> })}
            {new_link
                .then(|| {
                    view! {
                        <a href=Page::ForgotPassword.path()>{tr(T::NewResetLink)}</a>
                    }
                })}
        </div>
    }
}
