//! Readings generated at build time for names without `name_kana` (search only: they are never
//! shown as the name's reading). With the `readings` feature, a Japanese morphological analyser
//! (lindera, IPADIC embedded) reads each word of the name; without it there are none.

/// What the index says about its generated readings (`meta.json` `readings`).
pub const SOURCE: Option<&str> = if cfg!(feature = "readings") {
    Some("lindera IPADIC")
} else {
    None
};

/// The reading of `name` in hiragana-folded form, or `None` (no analyser, or no word read).
#[cfg(feature = "readings")]
pub fn reading(name: &str) -> Option<String> {
    use std::borrow::Cow;
    use std::sync::OnceLock;
    static SEGMENTER: OnceLock<Option<lindera::segmenter::Segmenter>> = OnceLock::new();
    let segmenter = SEGMENTER
        .get_or_init(|| {
            let dictionary = lindera::dictionary::load_dictionary("embedded://ipadic").ok()?;
            Some(lindera::segmenter::Segmenter::new(
                lindera::mode::Mode::Normal,
                dictionary,
                None,
            ))
        })
        .as_ref()?;
    let mut tokens = segmenter.segment(Cow::Owned(name.to_owned())).ok()?;
    let mut out = String::new();
    let mut read_any = false;
    for token in tokens.iter_mut() {
        let details = token.details();
        // IPADIC: the reading is the 8th detail ("*" for unknown words).
        match details.get(7).filter(|r| **r != "*") {
            Some(r) => {
                out.push_str(r);
                read_any = true;
            }
            None => out.push_str(token.surface.as_ref()),
        }
    }
    read_any.then_some(out)
}

#[cfg(not(feature = "readings"))]
pub fn reading(_name: &str) -> Option<String> {
    None
}

#[cfg(all(test, feature = "readings"))]
mod tests {
    #[test]
    fn park_names_are_read() {
        assert_eq!(
            super::reading("松島公園").as_deref(),
            Some("マツシマコウエン")
        );
        assert_eq!(
            super::reading("玉藻公園").as_deref(),
            Some("タマモコウエン")
        );
    }
}
