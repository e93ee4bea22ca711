//! Reads the HTTP exchanges recorded from a real Strapi 5.54.0 (`tests/fixtures/strapi-5.54.0/`):
//! blocks of `### name`, the curl command, the status line, headers, a blank line and the body.

pub struct Exchange {
    pub name: String,
    pub status: u16,
    pub body: String,
}

/// Every exchange in one recorded file.
pub fn parse(text: &str) -> Vec<Exchange> {
    text.split("### ")
        .filter(|block| !block.trim().is_empty())
        .map(|block| {
            let name = block.lines().next().unwrap_or_default().trim().to_owned();
            let status = block
                .lines()
                .find_map(|l| l.strip_prefix("HTTP/1.1 "))
                .and_then(|l| l.split_whitespace().next())
                .and_then(|s| s.parse().ok())
                .unwrap_or_else(|| panic!("no status line in exchange {name}"));
            let body = block
                .split_once("\r\n\r\n")
                .map(|(_, body)| body.trim().to_owned())
                .unwrap_or_default();
            Exchange { name, status, body }
        })
        .collect()
}

/// The exchange called `name` in a recorded file.
pub fn find(text: &str, name: &str) -> Exchange {
    parse(text)
        .into_iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("no exchange named {name}"))
}
