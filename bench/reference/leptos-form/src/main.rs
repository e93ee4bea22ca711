//! The smallest Leptos login form: what any Leptos page pays before it does anything of its own.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::tachys::html::attribute::custom::custom_attribute;

#[component]
fn LoginForm() -> impl IntoView {
    let identifier = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<&'static str>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let missing = identifier.with(String::is_empty) || password.with(String::is_empty);
        problem.set(missing.then_some("Enter your email or username and your password."));
    };
    view! {
        <main class="page">
            <section class="card">
                <h1>"Log in"</h1>
                {move || problem.get().map(|p| view! { <p class="alert" role="alert">{p}</p> })}
                <form class="form" novalidate on:submit=submit>
                    <div class="field">
                        <label class="field__label" for="identifier">"Email or username"</label>
                        <input class="field__input" id="identifier" autocomplete="username" bind:value=identifier />
                    </div>
                    <div class="field">
                        <label class="field__label" for="password">"Password"</label>
                        <input
                            class="field__input"
                            id="password"
                            type="password"
                            autocomplete="current-password"
                            bind:value=password
                        />
                    </div>
                    <button type="submit" class="button" {..custom_attribute("elementtiming", "form")}>"Log in"</button>
                </form>
            </section>
        </main>
    }
}

fn main() {
    // Mounting is synchronous: once `main` returns, the form is on screen and its handlers are
    // live, and the page's loader sets the `login-ready` mark.
    leptos::mount::mount_to_body(LoginForm);
}
