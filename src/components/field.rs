use leptos::html::Input;
use leptos::prelude::*;

/// A labelled input whose error message sits under it and is wired to it for assistive technology
/// (`aria-invalid`, `aria-describedby`).
#[component]
pub fn Field(
    /// The input's `id` and `name`; the error element is `{id}-error`.
    id: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    autocomplete: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    node_ref: NodeRef<Input>,
    /// Extra attributes for text entry: no auto-capitalising or correcting of usernames.
    #[prop(optional)]
    verbatim: bool,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let described_by = {
        let error_id = error_id.clone();
        move || error.with(Option::is_some).then(|| error_id.clone())
    };
    view! {
        <div class="field" class:field--invalid=move || error.with(Option::is_some)>
            <label class="field__label" for=id>{label}</label>
            <input
                class="field__input"
                id=id
                name=id
                type=kind
                autocomplete=autocomplete
                autocapitalize=verbatim.then_some("none")
                spellcheck=verbatim.then_some("false")
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=described_by
                node_ref=node_ref
                bind:value=value
            />
            {move || {
                error
                    .get()
                    .map(|message| {
                        view! {
                            <p class="field__error" id=error_id.clone()>
                                {message}
                            </p>
                        }
                    })
            }}
        </div>
    }
}
