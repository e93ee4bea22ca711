//! What a section says after it acted (a status, a success, an alert): one view shape for all of
//! them, worded at each showing, and the focus moved to it.

use leptos::prelude::*;
use leptos::task::{spawn_local, tick};
use wasm_bindgen::JsCast;

use crate::i18n::{T, Text, tf};

/// One line a section says: a status, a success (`notice`), or an alert.
#[derive(Clone)]
pub struct Line {
    class: &'static str,
    text: Text,
}

impl Line {
    pub fn status(text: impl Into<Text>) -> Self {
        Self {
            class: "status",
            text: text.into(),
        }
    }

    pub fn notice(text: impl Into<Text>) -> Self {
        Self {
            class: "notice",
            text: text.into(),
        }
    }

    /// `text` (a success) with its `{name}` filled.
    pub fn done(text: T, name: String) -> Self {
        Self::notice(Text::new(move || tf(text, &[("name", &name)])))
    }

    /// Whether it tells of a success.
    pub fn is_notice(&self) -> bool {
        self.class == "notice"
    }

    pub fn alert(text: impl Into<Text>) -> Self {
        Self {
            class: "alert",
            text: text.into(),
        }
    }
}

/// A [`Line`], as `role=status` (a success) or `role=alert`, and focusable when it has an `id`:
/// the focus can move to the news after an action (the button that had it may be gone, and the
/// news is read out where the focus lands).
#[component]
pub fn Said(line: Line, #[prop(optional)] id: Option<&'static str>) -> impl IntoView {
    let Line { class, text } = line;
    let role = match class {
        "alert" => Some("alert"),
        "notice" => Some("status"),
        _ => None,
    };
    view! {
        <p id=id class=class role=role tabindex=id.map(|_| "-1")>
            {move || text.get()}
        </p>
    }
}

/// Moves the focus to the element `id` once the views have caught up with the state just set.
pub fn focus_soon(id: impl Into<String>) {
    let id = id.into();
    spawn_local(async move {
        tick().await;
        focus(&id);
    });
}

/// Moves the focus to the element `id`, if it is there.
pub fn focus(id: &str) {
    if let Some(element) = document()
        .get_element_by_id(id)
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}
