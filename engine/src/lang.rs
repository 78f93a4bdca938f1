//! The language the tool speaks to a reader: English (the default) or 简体中文.
//!
//! Chosen by `--lang en|zh` on any command, else by the environment as POSIX orders it (the
//! first set of LC_ALL, LC_MESSAGES, LANG; `zh…` is Chinese), which the terminal's host reads;
//! in the live book, by the page's language. Formulas, names, numbers and JSON keys are the same
//! in both languages; only sentences change.

/// A language of the tool's sentences.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// 简体中文 (Simplified Chinese).
    Zh,
}

impl Lang {
    /// The language of a locale as LC_ALL, LC_MESSAGES or LANG hold it, or of a page's `lang`
    /// attribute: `zh_CN.UTF-8`, `zh_SG`, `zh-Hans`, `zh` (any Chinese) are Chinese; anything else (`en_US.UTF-8`, `C`, `POSIX`) English.
    pub fn of_locale(locale: &str) -> Lang {
        let language = locale.split(['_', '.', '@', '-']).next().unwrap_or("");
        if language.eq_ignore_ascii_case("zh") { Lang::Zh } else { Lang::En }
    }

    /// The language the environment asks for: the first of LC_ALL, LC_MESSAGES and LANG that
    /// is set and not empty decides (POSIX's order), given as a lookup so the engine reads no
    /// environment itself.
    pub fn of_environment(get: impl Fn(&str) -> Option<String>) -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|name| get(name).filter(|v| !v.is_empty()))
            .map_or(Lang::En, |locale| Lang::of_locale(&locale))
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn locales_and_the_posix_order() {
        for zh in ["zh_CN.UTF-8", "zh_TW", "zh", "zh-Hans", "ZH_cn"] {
            assert_eq!(Lang::of_locale(zh), Lang::Zh, "{zh}");
        }
        for en in ["en_US.UTF-8", "C", "POSIX", "", "zu_ZA", "C.UTF-8"] {
            assert_eq!(Lang::of_locale(en), Lang::En, "{en}");
        }
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
        };
        assert_eq!(Lang::of_environment(env(&[("LANG", "zh_CN.UTF-8")])), Lang::Zh);
        assert_eq!(Lang::of_environment(env(&[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")])), Lang::En);
        assert_eq!(Lang::of_environment(env(&[("LC_ALL", ""), ("LC_MESSAGES", "zh_CN")])), Lang::Zh);
        assert_eq!(Lang::of_environment(env(&[])), Lang::En);
    }
}
