//! Every text the app shows, in English (built in) and in whatever catalog the person's language
//! loaded: `i18n/<locale>.json` next to index.html, fetched only for a language other than English.
//!
//! A catalog is a JSON object from [`T`]'s names to texts. `{name}` in a text is a placeholder the
//! app fills; a text that depends on a number is an object of CLDR plural forms
//! (`{"one": "…", "other": "…"}`), picked by the browser's `Intl.PluralRules` for the catalog's
//! locale. `"$dir": "rtl"` lays the pages out right to left. A key the catalog lacks shows in
//! English. `tests/catalogs.rs` checks every shipped catalog against this list.
//!
//! Texts are `&'static str`: a loaded catalog lives as long as the page (one per language used).
//!
//! A switch of language changes the texts in place: [`t`] read inside a reactive closure (a view's
//! `move || t(T::LogIn)`, a [`Text`] shown by one) subscribes it to the language, so [`set`] re-runs
//! exactly those closures. Nothing else is rebuilt: what was typed, the focus, a page's one-time
//! data (a reset code, a provider's callback) and what Strapi answered stay as they were.

use std::cell::RefCell;
use std::sync::Arc;

use leptos::prelude::{Notify, Track};
use leptos::reactive::graph::Observer;
use leptos::reactive::signal::ArcTrigger;

macro_rules! texts {
    ($($key:ident = $($en:literal)|+,)*) => {
        /// A text the app shows; its name is its key in the catalogs.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum T { $($key,)* }

        impl T {
            pub const ALL: &[T] = &[$(T::$key,)*];

            /// The key in a catalog.
            pub fn key(self) -> &'static str {
                match self { $(T::$key => stringify!($key),)* }
            }

            /// The English text: for a plural text, its forms as [`Catalog`] keeps them.
            pub fn en(self) -> &'static str {
                match self { $(T::$key => texts!(@en $($en)|+),)* }
            }
        }
    };
    (@en $en:literal) => { $en };
    (@en $one:literal | $other:literal) => {
        concat!("one", "\u{1f}", $one, "\u{1e}", "other", "\u{1f}", $other)
    };
}

texts! {
    // The page frame, the language picker, the session notices
    Language = "Language",
    LoggedOut = "You have been logged out.",
    SessionExpired = "Your session has expired. Please log in again.",
    NotRenewable = "You are logged in, but the server would not let this browser renew the session: you will need to log in again when it expires.",
    // Forms
    Show = "Show",
    ShowWhat = " password",
    PasswordHint = "At least 6 characters.",
    NewPassword = "New password",
    ConfirmNewPassword = "Confirm new password",
    EnterEmail = "Enter your email address.",
    EnterValidEmail = "Enter an email address like name@example.com.",
    EnterPassword = "Enter a password.",
    PasswordTooShort = "Use at least 6 characters.",
    PasswordTooLong = "That is too long: at most 72 bytes (72 plain letters or digits, fewer accented letters or other scripts).",
    EnterPasswordAgain = "Enter the password again.",
    PasswordsDiffer = "The passwords do not match.",
    StorageBlocked = "This browser is blocking site storage, so the login cannot be kept. Allow site data for this page and try again.",
    NewResetLink = "Request a new password reset link",
    ResendConfirmation = "Resend confirmation email",
    Sending = "Sending…",
    ConfirmationResent = "A new confirmation link is on its way to {email}. Links sent before no longer work.",
    ContinueWith = "Continue with {provider}",
    Or = "or",
    TryAgain = "Try again",
    PageNotLoaded = "This page could not load",
    CheckConnection = "Check your connection and try again.",
    // Login
    LogIn = "Log in",
    LogInLead = "Use your email address or username.",
    LoggingIn = "Logging in…",
    EmailOrUsername = "Email or username",
    Password = "Password",
    EnterEmailOrUsername = "Enter your email or username.",
    EnterYourPassword = "Enter your password.",
    EmailConfirmed = "Your email address is confirmed. You can log in now.",
    ForgotPasswordLink = "Forgot password?",
    NewHere = "New here?",
    CreateAnAccount = "Create an account",
    NotConfirmedUseEmail = "Your account email is not confirmed. To get a new confirmation link, log in with your email address instead of your username.",
    // Sign-up
    CreateAccount = "Create account",
    ChooseUsername = "Choose a username.",
    SignUpClosed = "Sign-up is closed on this site.",
    GoToLogin = "Go to the login page",
    CreatingAccount = "Creating your account…",
    Username = "Username",
    Email = "Email",
    UsernameTooShort = "Use at least 3 characters for your username.",
    ConfirmationMailFailed = "Your account was created, but the confirmation email could not be sent. Try sending it again in a moment.",
    HaveAccount = "Already have an account?",
    CheckEmailConfirm = "Check your email: we sent a confirmation link to {email}. Click it to activate your account, then log in.",
    // Forgotten password
    ForgotTitle = "Forgot your password?",
    ForgotLead = "Enter the email address of your account and we will send you a link to choose a new password.",
    SendResetLink = "Send reset link",
    ResetMailFailed = "The email could not be sent right now. Please try again later, or ask the site's administrator to check its email settings.",
    ResetLinkSent = "If an account uses {email}, a link to reset its password is on its way. Check your email, and your spam folder too.",
    RememberedIt = "Remembered it?",
    // Reset password
    ChooseNewPassword = "Choose a new password",
    ResetLead = "You will be logged in with it right away.",
    SetNewPassword = "Set new password",
    Saving = "Saving…",
    ResetCodeMissing = "This link has no reset code. Open the link from the email again, or ask for a new one.",
    ResetCodeInvalid = "This reset link is not valid: it may have been used already, or a newer one was sent. Ask for a new link.",
    // Change password
    ChangePassword = "Change password",
    Changing = "Changing…",
    CurrentPassword = "Current password",
    EnterCurrentPassword = "Enter your current password.",
    ChooseDifferentPassword = "Choose a password different from your current one.",
    PasswordChanged = "Your password has been changed. Use the new one from now on.",
    BackToDashboard = "Back to the dashboard",
    // Dashboard
    Dashboard = "Dashboard",
    LoadingAccount = "Loading your account…",
    LoggedInAs = "You are logged in as {username}.",
    LogOut = "Log out",
    LoggingOut = "Logging out…",
    AccountNotLoaded = "Your account could not be loaded. {reason}",
    // Where you are signed in
    WhereSignedIn = "Where you are signed in",
    UnknownDevice = "Unknown device",
    ThisBrowser = "This browser",
    Loading = "Loading…",
    SignedInAt = "Signed in {time}.",
    LastActive = "Last active {time}.",
    SignOut = "Sign out",
    SignOutOthers = "Sign out of the other device" | "Sign out of all {count} other devices",
    NoSessionsLegacy = "This server issues long-lived tokens without sessions, so it keeps no list of the devices you are signed in on.",
    NoSessionsPermission = "This server does not let accounts see their sessions (the Authenticated role lacks the sessions permission).",
    SessionsNotLoaded = "Your sessions could not be loaded. {reason}",
    // Passkeys: the login page's button and the account page's section
    SignInWithPasskey = "Sign in with a passkey",
    WaitingForPasskey = "Waiting for your passkey…",
    PasskeyCancelled = "No passkey was used. If you have none for this site, log in with your password.",
    PasskeyUnsupported = "This browser cannot use passkeys. Log in with your password, or use a current browser.",
    PasskeyNotAllowedHere = "This browser will not use passkeys on this site.",
    PasskeyRefused = "This passkey is not accepted here: it may have been removed from your account. Log in with your password.",
    PasskeyExpired = "The passkey request expired. Please try again.",
    Passkeys = "Passkeys",
    PasskeysLead = "Sign in with your fingerprint, face, screen lock or a security key instead of your password.",
    NoPasskeys = "You have no passkeys yet.",
    PasskeyName = "Passkey name",
    PasskeyNameHint = "So you can tell your passkeys apart, like “Work laptop”.",
    EnterPasskeyName = "Enter a name for the passkey.",
    PasskeyNameTooLong = "Use at most 64 characters.",
    AddPasskey = "Add a passkey",
    AddingPasskey = "Adding a passkey…",
    PasskeyAdded = "Passkey “{name}” added.",
    PasskeyRemoved = "Passkey “{name}” removed.",
    PasskeyNotCreated = "No passkey was created.",
    PasskeyOnThisDevice = "This device already holds a passkey for your account.",
    PasskeyTaken = "This passkey is already registered.",
    PasskeyGone = "That passkey had already been removed.",
    PasskeysUnsupportedHere = "This browser cannot create passkeys. You can add one from a current browser.",
    PasskeyAddedAt = "Added {time}.",
    PasskeyUsedAt = "Last used {time}.",
    PasskeyNeverUsed = "Not used yet.",
    Remove = "Remove",
    PasskeysNotLoaded = "Your passkeys could not be loaded. {reason}",
    TooManyPasskeys = "You have as many passkeys as this site allows. Remove one before adding another.",
    // Confirm it's you: before a passkey is added or removed
    ConfirmTitle = "Confirm it's you",
    ConfirmLead = "For your security, confirm it's you before your passkeys change.",
    Confirm = "Confirm",
    Confirming = "Confirming…",
    UsePasskeyInstead = "Use a passkey instead",
    NoPasskeyUsed = "No passkey was used.",
    Cancel = "Cancel",
    WrongPassword = "That password is not correct.",
    NoPasswordHere = "This account has no password. Confirm it's you another way.",
    ConfirmFirst = "Please confirm it's you first.",
    // After a password reset from the mail
    AfterResetTitle = "You reset your password",
    AfterResetLead = "If someone else knew your old password, they may have added a passkey to your account or still be signed in on another device. Check your passkeys and where you are signed in below.",
    AfterResetLeadLegacy = "If someone else knew your old password, they may have added a passkey to your account. Check your passkeys below.",
    RemoveAllEverywhere = "Remove all passkeys and sign out everywhere else",
    RemoveAllPasskeys = "Remove all passkeys",
    Removing = "Removing…",
    PasskeysRemovedCount = "Your passkey was removed." | "All {count} of your passkeys were removed.",
    NoPasskeysToRemove = "You had no passkeys to remove.",
    SignedOutElsewhere = "You are signed out everywhere else.",
    SignOutElsewhereFailed = "Signing out everywhere else did not work. {reason}",
    // Provider login
    LoggingInTitle = "Logging in",
    FinishingProviderLogin = "Finishing your login with {provider}…",
    ProviderNotOffered = "Logging in with {provider} is not offered here.",
    ProviderFailed = "The login with {provider} did not succeed: {reason}",
    NoProviderLogin = "There is no login with {provider} to finish here. Start it again from the login page.",
    BackToLogin = "Back to the login page",
    // Not found
    NotFound = "Page not found",
    NotFoundLead = "There is nothing at this address.",
    GoToStart = "Go to the start page",
    // What the app says about a failed request
    ServerFailed = "The server could not complete the request ({reason}). Please try again in a moment.",
    TooLarge = "That is more than the server accepts. Please check what you typed and try again.",
    TooManyAttempts = "Too many attempts. Please wait a minute and try again.",
    ServerUnavailable = "The server is not available right now (HTTP {status}). Please try again in a moment.",
    ServerRefused = "The server refused the request (HTTP {status}).",
    Unreachable = "Cannot reach the server. Check your connection and try again.",
    TimedOut = "The server took too long to answer. Please try again in a moment.",
    UnexpectedAnswer = "The server sent an answer this app does not understand. Please try again later.",
    NotLoggedIn = "You are not logged in.",
    Crashed = "Something went wrong and this page stopped working. Please reload it.",
    // Strapi's own messages (it answers in English only), word for word, translated when
    // recognised; the last four are the app's words for its validation messages
    StrapiInvalidCredentials = "Invalid identifier or password",
    StrapiNotConfirmed = "Your account email is not confirmed",
    StrapiBlocked = "Your account has been blocked by an administrator",
    StrapiEmailTaken = "Email or Username are already taken",
    StrapiEmailAlreadyTaken = "Email is already taken.",
    StrapiRegisterDisabled = "Register action is currently disabled",
    StrapiIncorrectCode = "Incorrect code provided",
    StrapiPasswordsDiffer = "Passwords do not match",
    StrapiWrongCurrent = "The provided current password is invalid",
    StrapiSameAsCurrent = "Your new password must be different than your current password",
    StrapiAlreadyConfirmed = "Already confirmed",
    StrapiUserBlocked = "User blocked",
    StrapiTooManyRequests = "Too many requests, please try again later.",
    StrapiMissingCredentials = "Missing or invalid credentials",
    StrapiInvalidRefresh = "Invalid refresh token",
    StrapiProviderDisabled = "This provider is disabled",
    StrapiNoProviderSession = "OAuth authentication requires a completed provider session",
    StrapiMailFailed = "Error sending confirmation email",
    StrapiPasswordTooLong = "Password must be less than 73 bytes",
    StrapiErrors = "{count} error occurred" | "{count} errors occurred",
    StrapiRequired = "This field is required.",
    StrapiInvalidEmail = "Enter a valid email address.",
    StrapiMinChars = "Use at least {count} character." | "Use at least {count} characters.",
}

/// Languages the app ships a catalog for, with their names in themselves, in the picker's order
/// (Latin script first, then by script).
pub const SHIPPED: &[(&str, &str)] = &[
    ("id", "Bahasa Indonesia"),
    ("de", "Deutsch"),
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("it", "Italiano"),
    ("nl", "Nederlands"),
    ("pl", "Polski"),
    ("pt-BR", "Português (Brasil)"),
    ("tr", "Türkçe"),
    ("ru", "Русский"),
    ("ar", "العربية"),
    ("he", "עברית"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("zh-CN", "简体中文"),
];

/// The language's name in itself (its code when the app does not know it).
pub fn native_name(locale: &str) -> &str {
    SHIPPED
        .iter()
        .find(|(code, _)| code.eq_ignore_ascii_case(locale))
        .map_or(locale, |(_, name)| name)
}

/// The texts of one language.
#[derive(Clone, Debug)]
pub struct Catalog {
    pub locale: &'static str,
    pub rtl: bool,
    texts: Vec<Option<&'static str>>,
}

impl Catalog {
    pub fn english() -> Self {
        Self {
            locale: "en",
            rtl: false,
            texts: Vec::new(),
        }
    }

    /// A catalog of `locale` from `(key, text)` pairs; plural texts come as their forms
    /// `(category, text)`. Unknown keys are ignored.
    pub fn new(
        locale: &str,
        rtl: bool,
        entries: impl IntoIterator<Item = (String, Entry)>,
    ) -> Self {
        let mut texts = vec![None; T::ALL.len()];
        for (key, entry) in entries {
            if let Some(at) = T::ALL.iter().position(|t| t.key() == key) {
                let text = match entry {
                    Entry::Text(text) => text,
                    Entry::Plural(forms) => forms
                        .iter()
                        .map(|(category, text)| format!("{category}\u{1f}{text}"))
                        .collect::<Vec<_>>()
                        .join("\u{1e}"),
                };
                texts[at] = Some(&*Box::leak(text.into_boxed_str()));
            }
        }
        Self {
            locale: Box::leak(locale.to_owned().into_boxed_str()),
            rtl,
            texts,
        }
    }

    fn get(&self, text: T) -> &'static str {
        self.texts
            .get(text as usize)
            .copied()
            .flatten()
            .unwrap_or_else(|| text.en())
    }
}

/// One catalog entry: a text, or the plural forms of one.
#[derive(Clone, Debug)]
pub enum Entry {
    Text(String),
    Plural(Vec<(String, String)>),
}

thread_local! {
    static CURRENT: RefCell<Catalog> = RefCell::new(Catalog::english());
    /// Notified when the catalog changes: every reactive closure that read a text re-runs.
    static CHANGED: ArcTrigger = ArcTrigger::new();
}

/// Makes `catalog` the one every text comes from, and re-words what is on screen.
pub fn set(catalog: Catalog) {
    CURRENT.with(|current| *current.borrow_mut() = catalog);
    CHANGED.with(ArcTrigger::notify);
}

/// Subscribes the running reactive closure, if any, to the language (outside one, nothing).
fn track() {
    if Observer::get().is_some() {
        CHANGED.with(ArcTrigger::track);
    }
}

/// The current catalog's locale and direction.
pub fn current() -> (&'static str, bool) {
    track();
    CURRENT.with(|c| {
        c.try_borrow()
            .map(|c| (c.locale, c.rtl))
            .unwrap_or(("en", false))
    })
}

/// `text` in the current language; inside a reactive closure, read again when the language changes.
pub fn t(text: T) -> &'static str {
    track();
    CURRENT
        .with(|c| c.try_borrow().ok().map(|c| c.get(text)))
        .unwrap_or_else(|| text.en())
}

/// `text` as a view's child or attribute that follows the language: `{tr(T::LogIn)}`. Every text
/// shown this way has the same closure type, so the views compile one renderer for all of them
/// rather than one per `move || t(…)` (measured in BENCHMARKS.md).
pub fn tr(text: T) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || t(text)
}

/// `busy` while `on`, else `idle`, as a view's child that follows the language and the signal
/// (a button that says "Saving…" while it works). One closure type for every such text, as [`tr`].
pub fn tr_while(
    on: leptos::prelude::RwSignal<bool>,
    busy: T,
    idle: T,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    use leptos::prelude::Get;
    move || t(if on.get() { busy } else { idle })
}

/// `text` with its `{name}` placeholders filled.
pub fn tf(text: T, args: &[(&str, &str)]) -> String {
    fill(t(text), args)
}

/// `text` for `count` (its plural form for this language), `{count}` and the other placeholders filled.
pub fn tn(text: T, count: usize, args: &[(&str, &str)]) -> String {
    let forms = t(text);
    let category = plural_category(current().0, count);
    let form = pick_form(forms, &category);
    let count = count.to_string();
    let mut all = vec![("count", count.as_str())];
    all.extend_from_slice(args);
    fill(form, &all)
}

/// The text before and after `{name}` in `text`, to put markup (an address in bold) between them.
pub fn around(text: T, name: &str) -> (&'static str, &'static str) {
    let template = t(text);
    let marker = format!("{{{name}}}");
    template.split_once(&marker).unwrap_or((template, ""))
}

/// A text worded when it is shown, in the language of that moment: what a page keeps to show
/// later (an alert, a field's message) keeps this, not a sentence in the language it was made in.
#[derive(Clone)]
pub struct Text(Arc<dyn Fn() -> String + Send + Sync>);

impl Text {
    /// The text `word` gives at each showing.
    pub fn new(word: impl Fn() -> String + Send + Sync + 'static) -> Self {
        Self(Arc::new(word))
    }

    /// The words, now (inside a reactive closure: again when the language changes).
    pub fn get(&self) -> String {
        (self.0)()
    }
}

impl From<T> for Text {
    fn from(text: T) -> Self {
        Self::new(move || t(text).to_owned())
    }
}

/// Words that are the same in every language (an address, a message no catalog knows).
impl From<String> for Text {
    fn from(text: String) -> Self {
        Self::new(move || text.clone())
    }
}

/// Two texts are equal when they read the same now.
impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl Eq for Text {}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.get() == *other
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Text").field(&self.get()).finish()
    }
}

fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let filled = after.find('}').and_then(|close| {
            let (_, value) = args.iter().find(|(n, _)| *n == &after[..close])?;
            Some((value, close))
        });
        match filled {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The form for `category` among plural `forms` ("other" when missing); a plain text is its own form.
pub fn pick_form<'a>(forms: &'a str, category: &str) -> &'a str {
    if !forms.contains('\u{1f}') {
        return forms;
    }
    let mut other = forms;
    for form in forms.split('\u{1e}') {
        if let Some((name, text)) = form.split_once('\u{1f}') {
            if name == category {
                return text;
            }
            if name == "other" {
                other = text;
            }
        }
    }
    other
}

/// The CLDR plural category of `count` in `locale`: the browser's `Intl.PluralRules`, or
/// (natively, in tests) English rules.
fn plural_category(locale: &str, count: usize) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let locales = js_sys::Array::of1(&locale.into());
        let rules = js_sys::Intl::PluralRules::new(&locales, &js_sys::Object::new());
        if let Some(category) = rules.select(count as f64).as_string() {
            return category;
        }
    }
    let _ = locale;
    if count == 1 { "one" } else { "other" }.to_owned()
}

/// The language to show: the person's own pick on this site, else the operator's
/// `<meta name="app-locale">`, else the browser's first language that `available` has (a
/// regional one like `de-AT` falls back to `de`); English when nothing matches.
pub fn choose(
    available: &[String],
    picked: Option<&str>,
    operator: Option<&str>,
    browser: &[String],
) -> String {
    let find = |wanted: &str| -> Option<String> {
        let wanted = wanted.trim().replace('_', "-");
        let base = wanted.split('-').next().unwrap_or(&wanted);
        let same = |a: &&String| a.eq_ignore_ascii_case(&wanted);
        let is_base = |a: &&String| a.eq_ignore_ascii_case(base);
        // Another region of the language (pt-PT: pt-BR), but never Simplified Chinese for a
        // reader of Traditional.
        let sibling = |a: &&String| {
            a.split('-')
                .next()
                .is_some_and(|b| b.eq_ignore_ascii_case(base))
                && !(base.eq_ignore_ascii_case("zh") && is_traditional_chinese(&wanted))
        };
        let found = available.iter().find(same);
        found
            .or_else(|| available.iter().find(is_base))
            .or_else(|| available.iter().find(sibling))
            .cloned()
    };
    picked
        .and_then(find)
        .or_else(|| operator.and_then(find))
        .or_else(|| browser.iter().find_map(|l| find(l)))
        .unwrap_or_else(|| "en".to_owned())
}

/// zh-Hant, zh-TW, zh-HK, zh-MO: Chinese in Traditional characters.
fn is_traditional_chinese(code: &str) -> bool {
    code.split('-')
        .skip(1)
        .any(|part| ["hant", "tw", "hk", "mo"].contains(&part.to_ascii_lowercase().as_str()))
}

/// The languages this page offers: [`available`] from its `<meta name="app-locales">`.
pub fn offered() -> Vec<String> {
    available(crate::config::meta_content("app-locales").as_deref())
}

/// The languages on offer: `<meta name="app-locales">` ("en,de,fr"), else those the app ships.
/// Only codes that are safe in a file name are kept; English is always there.
pub fn available(listed: Option<&str>) -> Vec<String> {
    let mut codes: Vec<String> = match listed.map(str::trim).filter(|l| !l.is_empty()) {
        Some(list) => list
            .split(',')
            .map(|c| c.trim().to_owned())
            .filter(|c| is_locale_code(c))
            .collect(),
        None => SHIPPED.iter().map(|(code, _)| (*code).to_owned()).collect(),
    };
    if !codes.iter().any(|c| c.eq_ignore_ascii_case("en")) {
        codes.insert(0, "en".to_owned());
    }
    codes.dedup();
    codes
}

/// A BCP 47-ish code: letters and digits in parts joined by `-`, nothing a URL could misread.
pub fn is_locale_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 35
        && code.split('-').all(|part| {
            !part.is_empty() && part.len() <= 8 && part.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// Where the person's own pick of a language is kept (`localStorage`, as plain text: the page
/// drawn at build time reads it before the app runs).
pub const PICK_KEY: &str = "strapi-login:locale";

/// The person's own pick of a language, if they made one here.
pub fn stored_pick() -> Option<String> {
    local_storage()?.get_item(PICK_KEY).ok().flatten()
}

/// The cookie that tells a server the person's pick, so that it can send the pre-rendered login
/// page in that language (deploy/nginx/strapi-login-languages.conf reads it before
/// Accept-Language; underscores, since nginx names a cookie's variable `$cookie_<name>` and a
/// hyphen cannot be part of it). Only the app's own host sees it; it holds a locale code and
/// nothing else.
pub const PICK_COOKIE: &str = "strapi_login_locale";

/// Remembers `locale` as the person's pick, if the browser lets the page store anything: for the
/// app (`localStorage`) and for the server that sends the first paint (a cookie).
pub fn keep_pick(locale: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(PICK_KEY, locale);
    }
    use wasm_bindgen::JsCast;
    let document = web_sys::window().and_then(|w| w.document());
    if let Some(document) = document.and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        && is_locale_code(locale)
    {
        let year = 365 * 24 * 60 * 60;
        let cookie = format!("{PICK_COOKIE}={locale}; Path=/; Max-Age={year}; SameSite=Lax");
        let _ = document.set_cookie(&cookie);
    }
}

/// gloo-storage's `localStorage`, raw (its JSON encoding would store the pick in quotes), once
/// the browser has said it is reachable (gloo-storage throws when site data is blocked).
fn local_storage() -> Option<web_sys::Storage> {
    use gloo_storage::{LocalStorage, Storage};
    let window = web_sys::window()?;
    matches!(window.local_storage(), Ok(Some(_))).then(LocalStorage::raw)
}

/// The language this page should show: [`choose`] over the page's `<meta>` tags, the stored pick
/// and `navigator.languages`.
pub fn preferred() -> String {
    let browser: Vec<String> = web_sys::window()
        .map(|w| w.navigator().languages())
        .map(|list| list.iter().filter_map(|l| l.as_string()).collect())
        .unwrap_or_default();
    choose(
        &offered(),
        stored_pick().as_deref(),
        crate::config::meta_content("app-locale").as_deref(),
        &browser,
    )
}

/// Loads `locale`'s catalog from `i18n/<locale>.json` next to index.html (English is built in):
/// `None` if it cannot be had, and the page stays in English.
pub async fn load(locale: &str) -> Option<Catalog> {
    if locale.eq_ignore_ascii_case("en") {
        return Some(Catalog::english());
    }
    if !is_locale_code(locale) {
        return None;
    }
    let response = gloo_net::http::Request::get(&format!("/i18n/{locale}.json"))
        .send()
        .await
        .ok()?;
    if !response.ok() {
        return None;
    }
    Catalog::from_json(locale, &response.text().await.ok()?)
}

impl Catalog {
    /// A catalog from its JSON text (the browser's `JSON.parse`: no JSON library in the wasm).
    pub fn from_json(locale: &str, json: &str) -> Option<Self> {
        use js_sys::{JSON, Object, Reflect};
        use wasm_bindgen::JsCast;
        let value = JSON::parse(json).ok()?.dyn_into::<Object>().ok()?;
        let text = |value: &wasm_bindgen::JsValue| value.as_string();
        let rtl = Reflect::get(&value, &"$dir".into())
            .ok()
            .and_then(|d| d.as_string())
            .is_some_and(|d| d == "rtl");
        let pairs = Object::entries(&value);
        let entries = pairs.iter().filter_map(|pair| {
            let pair: js_sys::Array = pair.dyn_into().ok()?;
            let key = pair.get(0).as_string()?;
            let value = pair.get(1);
            let entry = match text(&value) {
                Some(text) => Entry::Text(text),
                None => Entry::Plural(
                    Object::entries(value.dyn_ref::<Object>()?)
                        .iter()
                        .filter_map(|form| {
                            let form: js_sys::Array = form.dyn_into().ok()?;
                            Some((form.get(0).as_string()?, text(&form.get(1))?))
                        })
                        .collect(),
                ),
            };
            Some((key, entry))
        });
        Some(Self::new(locale, rtl, entries.collect::<Vec<_>>()))
    }
}

/// `<html lang dir>` and the page title follow the current language.
pub fn apply_to_document() {
    let (locale, rtl) = current();
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", locale);
        let _ = root.set_attribute("dir", if rtl { "rtl" } else { "ltr" });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn german() -> Catalog {
        Catalog::new(
            "de",
            false,
            [
                ("LogIn".to_owned(), Entry::Text("Anmelden".to_owned())),
                (
                    "SignOutOthers".to_owned(),
                    Entry::Plural(vec![
                        ("one".into(), "Vom anderen Gerät abmelden".into()),
                        (
                            "other".into(),
                            "Von allen {count} anderen Geräten abmelden".into(),
                        ),
                    ]),
                ),
                ("NoSuchKey".to_owned(), Entry::Text("x".to_owned())),
            ],
        )
    }

    #[test]
    fn keys_are_unique_and_english_has_every_text() {
        for (i, a) in T::ALL.iter().enumerate() {
            assert!(!a.en().is_empty(), "{a:?}");
            assert_eq!(*a as usize, i);
            for b in &T::ALL[i + 1..] {
                assert_ne!(a.key(), b.key());
            }
        }
    }

    #[test]
    fn a_catalog_translates_what_it_has_and_leaves_the_rest_in_english() {
        set(german());
        assert_eq!(t(T::LogIn), "Anmelden");
        assert_eq!(t(T::Password), "Password");
        assert_eq!(tn(T::SignOutOthers, 1, &[]), "Vom anderen Gerät abmelden");
        assert_eq!(
            tn(T::SignOutOthers, 3, &[]),
            "Von allen 3 anderen Geräten abmelden"
        );
        set(Catalog::english());
        assert_eq!(t(T::LogIn), "Log in");
        assert_eq!(tn(T::SignOutOthers, 1, &[]), "Sign out of the other device");
        assert_eq!(
            tn(T::SignOutOthers, 2, &[]),
            "Sign out of all 2 other devices"
        );
    }

    #[test]
    fn placeholders_are_filled_by_name_and_unknown_ones_kept() {
        assert_eq!(
            fill("{a} and {b}, {c} {", &[("b", "B"), ("a", "A{b}")]),
            "A{b} and B, {c} {"
        );
        assert_eq!(
            tf(T::ContinueWith, &[("provider", "GitHub")]),
            "Continue with GitHub"
        );
        assert_eq!(
            around(T::LoggedInAs, "username"),
            ("You are logged in as ", ".")
        );
        assert_eq!(around(T::LogIn, "username"), ("Log in", ""));
    }

    #[test]
    fn the_language_is_the_pick_then_the_operator_s_then_the_browser_s() {
        let available = available(None);
        let browser = ["fr-CA".to_owned(), "de".to_owned()];
        assert_eq!(choose(&available, None, None, &browser), "fr");
        assert_eq!(choose(&available, None, Some("es"), &browser), "es");
        assert_eq!(choose(&available, Some("de"), Some("es"), &browser), "de");
        assert_eq!(
            choose(&available, Some("xx"), None, &["sv".to_owned()]),
            "en"
        );
        assert_eq!(choose(&available, None, None, &["DE-at".to_owned()]), "de");
        assert_eq!(
            choose(&available, None, None, &["pt-PT".to_owned()]),
            "pt-BR"
        );
        assert_eq!(choose(&available, None, None, &["zh".to_owned()]), "zh-CN");
        assert_eq!(
            choose(&available, None, None, &["zh_Hans_CN".to_owned()]),
            "zh-CN"
        );
        let traditional = ["zh-TW".to_owned(), "ja".to_owned()];
        assert_eq!(choose(&available, None, None, &traditional), "ja");
        assert_eq!(
            choose(&available, None, None, &["zh-Hant-HK".to_owned()]),
            "en"
        );
    }

    #[test]
    fn only_safe_locale_codes_are_offered_and_english_always() {
        assert_eq!(
            available(Some("de, ../x, pt-BR,fr/..,")),
            ["en", "de", "pt-BR"]
        );
        assert_eq!(available(Some("")).len(), SHIPPED.len());
        assert!(is_locale_code("zh-Hant-TW"));
        assert!(!is_locale_code("de."));
        assert!(!is_locale_code("a--b"));
    }
}
