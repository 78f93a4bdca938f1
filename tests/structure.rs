//! The structure the compiler cannot see, checked like behaviour: every import runs down the
//! layer order (no module uses one above it or beside it), no file imports form a circle, and
//! no source file is over 500 lines. ARCHITECTURE.md names these checks.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The engine's top-level modules, from the ground up: each may use only those before it.
const ENGINE_LAYERS: &[&[&str]] = &[
    &["error", "host", "math"],
    &["format"],
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

/// Every `crate::a::b` path a file names (code only: comments are dropped), as module paths.
fn crate_paths(text: &str) -> Vec<Vec<String>> {
    let code: String = text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
    let mut out = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        let path: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
        let segments: Vec<String> = path
            .split("::")
            .filter(|s| !s.is_empty() && s.chars().next().is_some_and(char::is_lowercase))
            .map(String::from)
            .collect();
        if !segments.is_empty() {
            out.push(segments);
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
        for path in crate_paths(&text) {
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

#[test]
fn imports_run_down_the_layers() {
    let mut problems = check_layers(Path::new("engine/src"), ENGINE_LAYERS);
    problems.extend(check_layers(Path::new("src"), FACE_LAYERS));
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
    for root in [Path::new("engine/src"), Path::new("src")] {
        let mut files = Vec::new();
        sources(root, &mut files);
        let mut edges: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap();
            let module = module_of(root, file);
            let mut targets: Vec<Vec<String>> = crate_paths(&text);
            // `super::x` names a sibling of this module.
            let code: String = text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
            let parent: Vec<String> = if file.ends_with("mod.rs") {
                module.clone()
            } else {
                module[..module.len().saturating_sub(1)].to_vec()
            };
            for (i, _) in code.match_indices("super::") {
                let rest: String = code[i + 7..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if rest.chars().next().is_some_and(char::is_lowercase) && !parent.is_empty() {
                    let mut path = parent[..parent.len() - usize::from(file.ends_with("mod.rs"))].to_vec();
                    path.push(rest);
                    targets.push(path);
                }
            }
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

/// The engine is pure: what it needs from the world comes through `host::Host`. The wasm32
/// build in .ci/run is the compiler's half of this check (no filesystem there); this is the
/// half that also catches what would compile but misbehave (printing, the clock, the process).
#[test]
fn the_engine_touches_no_file_clock_or_terminal() {
    let forbidden = [
        "std::fs",
        "std::time",
        "std::env",
        "std::process",
        "std::io::stdin",
        "std::io::stdout",
        "println!",
        "eprintln!",
        "print!(",
        "eprint!(",
    ];
    let mut files = Vec::new();
    sources(Path::new("engine/src"), &mut files);
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in forbidden {
                if code.contains(word) {
                    found.push(format!("{}:{}: {word}", file.display(), n + 1));
                }
            }
        }
    }
    assert!(files.len() > 40, "the engine's sources were not found");
    assert!(found.is_empty(), "the engine does I/O:\n{}", found.join("\n"));
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
