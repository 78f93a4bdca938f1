//! The playground's session on mangled network files: whatever the text, starting, stepping,
//! explaining and drawing answer with JSON (an error or a state), never a panic.

use backprop_web::{start_session, with_session};
use proptest::prelude::*;
use serde_json::json;

const NETWORKS: [&str; 4] = [
    include_str!("../../examples/networks/xor.net"),
    include_str!("../../examples/networks/two-layer.net"),
    include_str!("../../examples/networks/deep-sigmoid-batchnorm.net"),
    include_str!("../../examples/networks/dropout.net"),
];

/// Pieces a careless or hostile edit puts into a network file.
const PIECES: [&str; 16] = [
    "0",
    "-1",
    "1e308",
    "nan",
    "\n",
    " ",
    "dense 3 relu\n",
    "batchnorm",
    "dropout 0.99",
    "[",
    "]",
    ",",
    "=",
    "epochs 0",
    "batch 1",
    "lr 1e9",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn mangled_network_files_never_panic(
        which in 0..NETWORKS.len(),
        edits in proptest::collection::vec((0usize..2000, 0..PIECES.len(), any::<bool>()), 0..6),
        weight in (0u32..6, 0u32..40, 0u32..40),
    ) {
        let mut text = NETWORKS[which].to_string();
        for (at, piece, replace) in edits {
            let mut at = at % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let end = if replace { text[at..].char_indices().nth(3).map_or(text.len(), |(i, _)| at + i) } else { at };
            text.replace_range(at..end, PIECES[piece]);
        }
        let started = start_session(&json!({"network": "n.net", "files": {"n.net": text}}).to_string(), None);
        prop_assert!(started.get("info").is_some() || started.get("stderr").is_some(), "{started}");
        if started.get("info").is_some() {
            let state = with_session(|s, host| s.step(3, host));
            prop_assert!(state.get("updates").is_some(), "{state}");
            let explained = with_session(|s, host| s.explain(weight.0 as usize, weight.1 as usize, weight.2 as usize, host));
            prop_assert!(explained.get("updates").is_some(), "{explained}");
            let regions = with_session(|s, _| s.regions(8));
            prop_assert!(regions.get("class").is_some(), "{regions}");
        }
    }
}
