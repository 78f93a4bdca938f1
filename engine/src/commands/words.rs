//! A command line as words, and words as a command line a shell reads back the same: the book
//! and the browser take a command as one line of text, and the book shows each command in a
//! form a reader can paste into bash.

/// Splits a command line into words: spaces separate, double or single quotes group.
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                started = true;
            }
            (None, c) if c.is_whitespace() => {
                if started || !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                    started = false;
                }
            }
            (None, c) => current.push(c),
        }
    }
    if quote.is_some() {
        return Err("a quote is not closed".into());
    }
    if started || !current.is_empty() {
        words.push(current);
    }
    Ok(words)
}

/// The words as a POSIX shell line: a word with anything a shell would interpret (`*`, `(`,
/// spaces, `;`, `^`…) is quoted — in double quotes where that is safe, else in single quotes.
pub fn shell_line(words: &[String]) -> String {
    words.iter().map(|w| shell_word(w)).collect::<Vec<_>>().join(" ")
}

fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_alphanumeric() || "-_.,=/:@+%".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else if !word.contains(['"', '$', '`', '\\', '!']) {
        format!("\"{word}\"")
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_on_spaces_and_keep_quotes_together() {
        assert_eq!(split_words("derive \"x * y\" --at x=1,y=2").unwrap(), ["derive", "x * y", "--at", "x=1,y=2"]);
        assert_eq!(split_words("derive sigmoid(w*x+b)").unwrap(), ["derive", "sigmoid(w*x+b)"]);
        assert_eq!(split_words("check ''").unwrap(), ["check", ""]);
        assert!(split_words("derive \"x").is_err());
    }

    #[test]
    fn shell_lines_quote_what_a_shell_would_interpret() {
        let words = |l: &str| split_words(l).unwrap();
        assert_eq!(shell_line(&words("derive sigmoid(w*x+b) --at w=0.5")), "derive \"sigmoid(w*x+b)\" --at w=0.5");
        assert_eq!(shell_line(&words("derive 'x^2' --digits 3")), "derive \"x^2\" --digits 3");
        assert_eq!(shell_line(&["a \"b\"".to_string()]), "'a \"b\"'");
        assert_eq!(shell_line(&words("derive \"it's\"")), "derive \"it's\"");
        assert_eq!(shell_line(&["$x'".to_string()]), "'$x'\\'''");
    }
}
