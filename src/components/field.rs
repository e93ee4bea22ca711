use leptos::html;
use leptos::prelude::*;
use leptos::tachys::html::attribute::custom::custom_attribute;
use leptos::task::tick;

use super::form::{Form, MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS};
use crate::i18n::{T, tr};
use strapi_auth::Field;

/// A labelled input whose error message sits under it and is wired to it for assistive technology
/// (`aria-invalid`, `aria-describedby`). A password input gets a "Show password" toggle.
#[component]
pub fn Input(
    form: Form,
    /// What the input holds; also its `id` and `name`, so Strapi's message about it finds it.
    field: Field,
    label: T,
    #[prop(default = "text")] kind: &'static str,
    autocomplete: &'static str,
    value: RwSignal<String>,
    /// No auto-capitalising or correcting (usernames, email addresses).
    #[prop(optional)]
    verbatim: bool,
    /// What the value must be, said before anyone gets it wrong ("At least 6 characters.").
    #[prop(optional)]
    hint: Option<T>,
) -> impl IntoView {
    let id = field.name();
    let error = form.error(field);
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let invalid = move || error.with(Option::is_some);
    let described_by = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || match (invalid(), hint.is_some()) {
            (true, true) => Some(format!("{error_id} {hint_id}")),
            (true, false) => Some(error_id.clone()),
            (false, true) => Some(hint_id.clone()),
            (false, false) => None,
        }
    };
    let input = NodeRef::<html::Input>::new();
    let shown = RwSignal::new(false);
    // Strapi's password rule, told to password managers that generate one: `minlength` for all
    // (the form is `novalidate`, so the browser never blocks on it; the app's checks speak),
    // `passwordrules` for Safari's.
    let new_password = autocomplete == "new-password";
    let rules = new_password
        .then(|| format!("minlength: {MIN_PASSWORD_CHARS}; maxlength: {MAX_PASSWORD_BYTES};"));
    view! {
        <div class="field" class:field--invalid=invalid>
            <label class="field__label" for=id>{tr(label)}</label>
            <div class="field__control">
                <input
                    class=if kind == "password" {
                        "field__input field__input--toggle"
                    } else {
                        "field__input"
                    }
                    id=id
                    name=id
                    type=move || if shown.get() { "text" } else { kind }
                    autocomplete=autocomplete
                    minlength=new_password.then_some(MIN_PASSWORD_CHARS)
                    {..custom_attribute("passwordrules", rules)}
                    autocapitalize=verbatim.then_some("none")
                    spellcheck=verbatim.then_some("false")
                    aria-invalid=move || invalid().then_some("true")
                    aria-describedby=described_by
                    node_ref=input
                    bind:value=value
                />
                {(kind == "password").then(|| view! { <ShowPassword input shown /> })}
            </div>
            {hint.map(|hint| view! { <p class="field__hint" id=hint_id>{tr(hint)}</p> })}
            {move || {
                error.get().map(|message| view! { <p class="field__error" id=error_id.clone()>{message}</p> })
            }}
        </div>
    }
}

/// The toggle beside a password input. It keeps the value (the input is the same element, only its
/// type changes), the focus (a mouse press does not take it from the input) and the caret.
#[component]
fn ShowPassword(input: NodeRef<html::Input>, shown: RwSignal<bool>) -> impl IntoView {
    let toggle = move |_| {
        let caret = input.get_untracked().map(|el| {
            (
                el.selection_start().ok().flatten(),
                el.selection_end().ok().flatten(),
            )
        });
        shown.update(|shown| *shown = !*shown);
        leptos::task::spawn_local(async move {
            tick().await;
            if let (Some(el), Some((Some(start), Some(end)))) = (input.get_untracked(), caret) {
                let _ = el.set_selection_range(start, end);
            }
        });
    };
    view! {
        <button
            type="button"
            class="field__toggle"
            aria-pressed=move || if shown.get() { "true" } else { "false" }
            on:mousedown=|ev| ev.prevent_default()
            on:click=toggle
        >
            {tr(T::Show)}
            <span class="visually-hidden">{tr(T::ShowWhat)}</span>
        </button>
    }
}

/// A new password and its confirmation, as every form that sets one asks for them.
#[component]
pub fn NewPassword(
    form: Form,
    password: RwSignal<String>,
    confirmation: RwSignal<String>,
) -> impl IntoView {
    view! {
        <Input
            form
            field=Field::Password
            label=T::NewPassword
            kind="password"
            autocomplete="new-password"
            value=password
            hint=T::PasswordHint
        />
        <Input
            form
            field=Field::PasswordConfirmation
            label=T::ConfirmNewPassword
            kind="password"
            autocomplete="new-password"
            value=confirmation
        />
    }
}

/// The account a form's passwords belong to, for password managers alone: a saved entry is then
/// updated rather than a second one made beside it. Not shown and not in the accessibility tree;
/// never sent to Strapi (the app posts JSON of its own, not the form). Chromium wants an `id` or
/// a `name` on it, as on every input.
#[component]
pub fn HiddenUsername(#[prop(into)] value: Signal<String>) -> impl IntoView {
    view! {
        <input
            type="text"
            id="username"
            name="username"
            autocomplete="username"
            hidden
            tabindex="-1"
            prop:value=value
        />
    }
}
