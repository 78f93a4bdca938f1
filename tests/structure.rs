//! The structure the compiler cannot see, checked like behaviour: every import runs down the
//! layer order (no module uses one above it or beside it), no file imports form a circle, and
//! no source file is over 500 lines. ARCHITECTURE.md names these checks.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The engine's top-level modules, from the ground up: each may use only those before it.
const ENGINE_LAYERS: &[&[&str]] = &[
    &["lang"],
    &["error", "host", "math"],
    &["format", "said"],
    &["syntax"],
    &["graph"],
    &["reverse"],
    &["print"],
    &["symbolic", "numeric"],
    &["draw", "plot"],
    &["net"],
    &["exercise"],
    &["commands"],
];

/// The binary crate's modules, from the ground up.
const FACE_LAYERS: &[&[&str]] = &[&["http_cache", "files"], &["serve", "book"], &["cli"]];

/// The browser face's modules below its crate root (the exports).
const WEB_LAYERS: &[&[&str]] = &[&["session"]];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a source file under `root` (`graph/func.rs` → ["graph", "func"]).
fn module_of(root: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(root).unwrap().with_extension("");
    let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib" || p == "main") {
        parts.pop();
    }
    parts
}

/// The code of a file: comments dropped, string literals blanked (so that neither is read as
/// an import).
fn code_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_string = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' if !in_string => in_string = true,
                '"' => in_string = false,
                '\\' if in_string => {
                    chars.next();
                }
                '/' if !in_string && chars.peek() == Some(&'/') => break,
                _ if in_string => {}
                _ => out.push(c),
            }
        }
        out.push('\n');
    }
    out
}

/// The paths one use-tree names, from its start: `a::b` → [[a, b]], `{a, b::{c, d}}` →
/// [[a], [b, c], [b, d]]. Only module-like segments (lower case) are kept; a type, a glob or
/// anything else ends a path.
fn use_tree(code: &[char], at: &mut usize) -> Vec<Vec<String>> {
    let skip_space = |at: &mut usize| {
        while *at < code.len() && code[*at].is_whitespace() {
            *at += 1;
        }
    };
    skip_space(at);
    if code.get(*at) == Some(&'{') {
        *at += 1;
        let mut all = Vec::new();
        loop {
            skip_space(at);
            match code.get(*at) {
                Some('}') => {
                    *at += 1;
                    return all;
                }
                Some(',') => *at += 1,
                None => return all,
                Some(_) => {
                    let before = *at;
                    all.extend(use_tree(code, at));
                    if *at == before {
                        *at += 1; // a glob or a stray character
                    }
                }
            }
        }
    }
    let start = *at;
    while *at < code.len() && (code[*at].is_alphanumeric() || code[*at] == '_') {
        *at += 1;
    }
    let segment: String = code[start..*at].iter().collect();
    // A type, a glob or a macro (`crate::listed!`, defined at the crate root) ends the path.
    if segment.is_empty() || !segment.starts_with(|c: char| c.is_lowercase()) || code.get(*at) == Some(&'!') {
        return vec![Vec::new()];
    }
    if code.get(*at) == Some(&':') && code.get(*at + 1) == Some(&':') {
        *at += 2;
        return use_tree(code, at)
            .into_iter()
            .map(|mut rest| {
                rest.insert(0, segment.clone());
                rest
            })
            .collect();
    }
    vec![vec![segment]]
}

/// Every module path a file's code names, absolute within its crate: `crate::a::b`, grouped
/// imports (`crate::{a, b::c}`) expanded, and `super::`, `super::super::` and `self::` resolved
/// against the file's own module. A file's unit tests (from its `#[cfg(test)]` on) are not
/// read: like the integration tests, they may use any layer.
fn used_paths(text: &str, module: &[String]) -> Vec<Vec<String>> {
    let text = text.split("\n#[cfg(test)]").next().unwrap_or(text);
    let code: Vec<char> = code_of(text).chars().collect();
    let starts_word = |i: usize| i == 0 || !(code[i - 1].is_alphanumeric() || matches!(code[i - 1], '_' | ':' | '$'));
    let at_word = |i: usize, word: &str| word.chars().enumerate().all(|(k, c)| code.get(i + k) == Some(&c));
    let mut out = Vec::new();
    let mut i = 0;
    while i < code.len() {
        if !starts_word(i) || !(at_word(i, "crate::") || at_word(i, "super::") || at_word(i, "self::")) {
            i += 1;
            continue;
        }
        // The module the path starts from: a file's own module is `self`, its parent `super`.
        let mut base: Vec<String> = module.to_vec();
        if at_word(i, "crate::") {
            base.clear();
            i += "crate::".len();
        } else {
            while at_word(i, "super::") || at_word(i, "self::") {
                if at_word(i, "super::") {
                    base.pop();
                    i += "super::".len();
                } else {
                    i += "self::".len();
                }
            }
        }
        for tail in use_tree(&code, &mut i) {
            let mut path = base.clone();
            path.extend(tail);
            if !path.is_empty() {
                out.push(path);
            }
        }
    }
    out
}

fn rank(layers: &[&[&str]], module: &str) -> Option<usize> {
    layers.iter().position(|layer| layer.contains(&module))
}

fn check_layers(root: &Path, layers: &[&[&str]]) -> Vec<String> {
    let mut files = Vec::new();
    sources(root, &mut files);
    let mut problems = Vec::new();
    for file in &files {
        let module = module_of(root, file);
        let Some(own) = module.first() else { continue };
        let Some(own_rank) = rank(layers, own) else {
            problems.push(format!("{}: module `{own}` is in no layer", file.display()));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for path in used_paths(&text, &module) {
            let used = &path[0];
            if used == own {
                continue;
            }
            match rank(layers, used) {
                Some(r) if r < own_rank => {}
                Some(_) => problems.push(format!("{}: `{own}` uses `{used}`, which is not below it", file.display())),
                None => problems.push(format!("{}: uses `crate::{used}`, which is in no layer", file.display())),
            }
        }
    }
    problems
}

/// The path reader itself: grouped imports, nested groups, `super::super`, `self`, and what is
/// not an import (a string, a comment, a macro's `$crate`).
#[test]
fn imports_are_read_in_every_form() {
    let module: Vec<String> = ["net", "parse", "data"].iter().map(|s| s.to_string()).collect();
    let text = "use crate::{graph::{Func, build}, numeric};\nuse super::super::spec::Loss;\n\
                use self::inner::x;\ncrate::listed! {}\nlet s = \"crate::print\"; // crate::draw\n$crate::format::f();\n\
                #[cfg(test)]\nmod tests { use crate::commands; }";
    let paths: Vec<String> = used_paths(text, &module).iter().map(|p| p.join("::")).collect();
    assert_eq!(paths, ["graph", "graph::build", "numeric", "net::spec", "net::parse::data::inner::x"]);
}

#[test]
fn imports_run_down_the_layers() {
    let mut problems = check_layers(Path::new("engine/src"), ENGINE_LAYERS);
    problems.extend(check_layers(Path::new("src"), FACE_LAYERS));
    problems.extend(check_layers(Path::new("web/src"), WEB_LAYERS));
    assert!(problems.is_empty(), "imports against the layer order:\n{}", problems.join("\n"));
}

/// The file a module path names, if it exists (longest prefix that is a file).
fn file_of(root: &Path, path: &[String]) -> Option<PathBuf> {
    for n in (1..=path.len()).rev() {
        let base: PathBuf = path[..n].iter().collect();
        for candidate in [root.join(&base).with_extension("rs"), root.join(&base).join("mod.rs")] {
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

#[test]
fn no_file_imports_form_a_circle() {
    for root in [Path::new("engine/src"), Path::new("src"), Path::new("web/src")] {
        let mut files = Vec::new();
        sources(root, &mut files);
        let mut edges: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap();
            let module = module_of(root, file);
            let targets = used_paths(&text, &module);
            for target in targets {
                if let Some(to) = file_of(root, &target)
                    && to != *file
                    && !to.ends_with("mod.rs")
                {
                    edges.entry(file.clone()).or_default().insert(to);
                }
            }
        }
        // Depth-first search for a back edge.
        fn visit(
            n: &PathBuf,
            edges: &BTreeMap<PathBuf, BTreeSet<PathBuf>>,
            state: &mut BTreeMap<PathBuf, u8>,
            stack: &mut Vec<PathBuf>,
        ) -> Option<Vec<PathBuf>> {
            state.insert(n.clone(), 1);
            stack.push(n.clone());
            for m in edges.get(n).into_iter().flatten() {
                match state.get(m) {
                    Some(1) => {
                        let from = stack.iter().position(|s| s == m).unwrap();
                        let mut circle = stack[from..].to_vec();
                        circle.push(m.clone());
                        return Some(circle);
                    }
                    Some(_) => {}
                    None => {
                        if let Some(c) = visit(m, edges, state, stack) {
                            return Some(c);
                        }
                    }
                }
            }
            stack.pop();
            state.insert(n.clone(), 2);
            None
        }
        let mut state = BTreeMap::new();
        for file in edges.keys() {
            if !state.contains_key(file) {
                let circle = visit(file, &edges, &mut state, &mut Vec::new());
                assert!(circle.is_none(), "files import each other in a circle: {:?}", circle.unwrap());
            }
        }
    }
}

#[test]
fn no_source_file_is_over_500_lines() {
    let mut files = Vec::new();
    for root in ["engine/src", "src", "tests", "benches", "fuzz/fuzz_targets", "web/src"] {
        if Path::new(root).is_dir() {
            sources(Path::new(root), &mut files);
        }
    }
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let lines = std::fs::read_to_string(f).unwrap().lines().count();
            (lines > 500).then(|| format!("{}: {lines} lines", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "files over 500 lines:\n{}", long.join("\n"));
}

/// The engine is pure and rounds alike everywhere: clippy (warnings denied in CI) forbids
/// every way out of it — files, the network, the clock, threads, the process, the environment,
/// the terminal, printing and `dbg!` — and every platform-dependent rounding (the `f64`
/// transcendental methods, `powi`, `mul_add`, ndarray's matrix products), however they are
/// imported. This keeps that list from shrinking unnoticed.
#[test]
fn clippy_forbids_every_way_out_of_the_engine() {
    let config = std::fs::read_to_string("engine/clippy.toml").unwrap();
    let section = |name: &str| -> Vec<String> {
        let start = config.find(&format!("{name} = [")).unwrap_or_else(|| panic!("engine/clippy.toml has no {name}"));
        let body = &config[start..start + config[start..].find("\n]").unwrap()];
        body.split("path = \"").skip(1).map(|p| p[..p.find('"').unwrap()].to_string()).collect()
    };
    let (methods, types, macros) =
        (section("disallowed-methods"), section("disallowed-types"), section("disallowed-macros"));
    let required_methods = [
        "f64::exp",
        "f64::ln",
        "f64::powf",
        "f64::powi",
        "f64::mul_add",
        "f64::tanh",
        "f64::sin",
        "f64::cos",
        "ndarray::linalg::general_mat_mul",
        "ndarray::linalg::Dot::dot",
        "std::fs::read",
        "std::fs::read_to_string",
        "std::fs::write",
        "std::io::stdin",
        "std::io::stdout",
        "std::io::stderr",
        "std::time::Instant::now",
        "std::time::SystemTime::now",
        "std::thread::spawn",
        "std::env::var",
        "std::env::args",
        "std::process::exit",
        "std::process::Command::new",
    ];
    let required_types = [
        "std::fs::File",
        "std::net::TcpStream",
        "std::net::TcpListener",
        "std::net::UdpSocket",
        "std::process::Command",
        "std::time::Instant",
        "std::time::SystemTime",
        "std::thread::JoinHandle",
        "std::io::Stdout",
        "std::io::Stderr",
    ];
    let required_macros = ["std::println", "std::print", "std::eprintln", "std::eprint", "std::dbg"];
    let missing: Vec<&str> = required_methods
        .iter()
        .filter(|m| !methods.iter().any(|x| x == *m))
        .chain(required_types.iter().filter(|t| !types.iter().any(|x| x == *t)))
        .chain(required_macros.iter().filter(|m| !macros.iter().any(|x| x == *m)))
        .copied()
        .collect();
    assert!(missing.is_empty(), "engine/clippy.toml no longer forbids: {missing:?}");
    // The f64 methods of the platform's libm: every one Rust has is forbidden.
    for method in ["exp_m1", "exp2", "log10", "log2", "log", "tan", "sinh", "cosh", "atan", "atan2", "hypot", "cbrt"] {
        assert!(methods.contains(&format!("f64::{method}")), "f64::{method} is not forbidden");
    }
}

#[test]
fn the_pages_scripts_spread_no_list_into_a_call() {
    // `Math.min(...list)` passes each element as an argument: past about 150,000 (a long
    // training run's losses) the browser throws. The page's scripts find a range with a loop.
    let mut found = Vec::new();
    for folder in ["book/theme", "book/src/playground"] {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "js") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                if ["Math.min(...", "Math.max(...", ".apply("].iter().any(|call| code.contains(call)) {
                    found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(found.is_empty(), "a list spread into a call's arguments:\n{}", found.join("\n"));
}
