//! Taking over the login page drawn at build time (`scripts/prerender.mjs` writes the app's own
//! markup into `auth/login.html`, wrapped in `<div id="prerendered">`). The person may have typed,
//! moved the focus and pressed Enter before the app started: [`take`] notes all of it and removes
//! the drawn page, the app mounts its own, and [`Early::restore`] carries it over. A change of
//! language, which draws the app's page again, keeps what was typed the same way.

use leptos::prelude::request_animation_frame;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, EventInit, HtmlElement, HtmlInputElement};

/// The id of the element that wraps the pre-rendered page.
pub const WRAPPER_ID: &str = "prerendered";

/// What the person did on a page about to be drawn again: on the pre-rendered page before the app
/// started, or on the app's own page before a change of language rebuilds it.
#[derive(Debug, Default)]
pub struct Early {
    /// (input id, value) of every input, empty or not.
    typed: Vec<(String, String)>,
    /// The element with the focus (by id), and an input's selection (the caret when both ends
    /// are equal).
    focus: Option<(String, Option<u32>, Option<u32>)>,
    /// Enter or the button was pressed: the loader queued the login (scripts/post-build.mjs).
    submit: bool,
}

/// Removes the pre-rendered page, if there is one, and returns what was done on it.
pub fn take(document: &Document) -> Option<Early> {
    let wrapper = document.get_element_by_id(WRAPPER_ID)?;
    let queued = wrapper
        .query_selector("form[data-queued]")
        .ok()
        .flatten()
        .is_some();
    let early = Early::capture(&wrapper, queued);
    wrapper.remove();
    Some(early)
}

impl Early {
    /// Notes the inputs under `root` and the focus, if it is under `root`.
    pub fn capture(root: &Element, submit: bool) -> Self {
        let mut early = Early {
            submit,
            ..Early::default()
        };
        if let Ok(inputs) = root.query_selector_all("input[id]") {
            for i in 0..inputs.length() {
                if let Some(input) = inputs
                    .item(i)
                    .and_then(|n| n.dyn_into::<HtmlInputElement>().ok())
                {
                    early.typed.push((input.id(), input.value()));
                }
            }
        }
        early.focus = root
            .owner_document()
            .and_then(|d| d.active_element())
            .filter(|el| root.contains(Some(el)) && !el.id().is_empty())
            .map(|el| match el.dyn_ref::<HtmlInputElement>() {
                Some(input) => (
                    el.id(),
                    input.selection_start().ok().flatten(),
                    input.selection_end().ok().flatten(),
                ),
                None => (el.id(), None, None),
            });
        early
    }

    /// Puts what was typed into the app's inputs of the same ids (through their `input` event, as
    /// if typed, so the app's state follows), the focus and caret where they were, and sends a
    /// queued login.
    pub fn restore(self, document: &Document) {
        let input = |id: &str| {
            document
                .get_element_by_id(id)
                .and_then(|el| el.dyn_into::<HtmlInputElement>().ok())
        };
        for (id, value) in &self.typed {
            let Some(field) = input(id).filter(|_| !value.is_empty()) else {
                continue;
            };
            field.set_value(value);
            let init = EventInit::new();
            init.set_bubbles(true);
            if let Ok(event) = Event::new_with_event_init_dict("input", &init) {
                let _ = field.dispatch_event(&event);
            }
        }
        if let Some((id, start, end)) = self.focus.clone()
            && let Some(element) = document
                .get_element_by_id(&id)
                .and_then(|el| el.dyn_into::<HtmlElement>().ok())
        {
            let _ = element.focus();
            // After the app has written the values back to the inputs (its effects run after
            // this), which puts the caret at the end; before the next paint.
            if let (Some(start), Some(end)) = (start, end) {
                request_animation_frame(move || {
                    // Not every input type has a selection (email inputs refuse one).
                    if let Some(field) = element.dyn_ref::<HtmlInputElement>() {
                        let _ = field.set_selection_range(start, end);
                    }
                });
            }
        }
        // The app's login form, found by its inputs; not there if the app showed another page
        // (someone already logged in is sent on).
        if self.submit
            && let Some(form) = self
                .typed
                .first()
                .and_then(|(id, _)| input(id))
                .and_then(|field| field.form())
        {
            let _ = form.request_submit();
        }
    }
}
