use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::{self, T, tr};

/// The languages on offer, shared through context.
#[derive(Clone, Copy)]
pub struct Language {
    available: StoredValue<Vec<String>>,
}

impl Language {
    pub fn new() -> Self {
        Self {
            available: StoredValue::new(i18n::offered()),
        }
    }

    /// Shows the pages in `locale` from now on, and remembers it for this site. Only the texts
    /// change ([`i18n::set`] re-words them in place): what was typed, the focus and every page's
    /// state stay, and nothing is asked of Strapi again.
    pub fn switch(self, locale: String) {
        spawn_local(async move {
            // A language whose catalog cannot be had changes nothing, and is not remembered.
            let Some(catalog) = i18n::load(&locale).await else {
                return;
            };
            i18n::keep_pick(&locale);
            i18n::set(catalog);
            i18n::apply_to_document();
        });
    }
}

impl Default for Language {
    fn default() -> Self {
        Self::new()
    }
}

/// "Language": a choice among the languages on offer, each named in itself; nothing when there
/// is only one.
#[component]
pub fn LanguagePicker() -> impl IntoView {
    let language = use_context::<Language>()?;
    let codes = language.available.get_value();
    if codes.len() < 2 {
        return None;
    }
    let (current, _) = i18n::current();
    let options: Vec<_> = codes
        .into_iter()
        .map(|code| {
            let selected = code.eq_ignore_ascii_case(current);
            let name = i18n::native_name(&code).to_owned();
            view! { <option value=code.clone() lang=code selected=selected>{name}</option> }
        })
        .collect();
    let change = move |ev| language.switch(event_target_value(&ev));
    Some(view! {
        <p class="language">
            <label for="language">{tr(T::Language)}</label>
            <select id="language" on:change=change>{options}</select>
        </p>
    })
}
