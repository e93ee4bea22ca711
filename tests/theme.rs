//! The app carries its brand defaults in `style/main.css` (a second stylesheet would delay the first
//! paint); `style/theme.css` is the template operators copy. They must not drift apart: the same
//! custom properties, with the same values, light and dark, in the same order.

use std::fs;
use std::path::PathBuf;

/// Every `--name: value;` declaration of a stylesheet, in order.
fn custom_properties(file: &str) -> Vec<(String, String)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(file);
    fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with("--"))
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            Some((
                name.to_owned(),
                value.trim().trim_end_matches(';').to_owned(),
            ))
        })
        .collect()
}

#[test]
fn the_theme_template_and_the_app_s_defaults_are_the_same() {
    let defaults = custom_properties("style/main.css");
    let template = custom_properties("style/theme.css");
    assert!(
        defaults.iter().filter(|(n, _)| n == "--primary").count() == 2,
        "light and dark"
    );
    assert_eq!(defaults, template);
}
