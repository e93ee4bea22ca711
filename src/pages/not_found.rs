use leptos::prelude::*;

use crate::components::Card;
use crate::i18n::{T, tr};
use crate::routes::Page;

/// Any path the route table does not know.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <Card title=T::NotFound lead=T::NotFoundLead>
            // A plain link: the app's own links are followed without a reload (the router).
            <a href=Page::Home.path() class="button">
                {tr(T::GoToStart)}
            </a>
        </Card>
    }
}
