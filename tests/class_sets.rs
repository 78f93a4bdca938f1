//! Exercises for a whole class: 30 variants of a function sheet and of a 2-2-2 network sheet,
//! each key recomputed here with this file's own formulas (not the tool's) and judged fully
//! right by `check`; a mutated answer in each variant named as its mistake; the same seed gives
//! byte-identical files; a class folder of 30 filled-in sheets (some with errors carried
//! forward) gives the gradebook worked out here; a Moodle export whose every answer is the key's;
//! and bad input, each with its place and status 2.

use crate::common::{backprop, temp_dir};
use std::collections::BTreeMap;
use std::path::Path;

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// `name = value` pairs of a sheet's `at` line (numbers, vectors, matrices as text).
fn at_line(sheet: &str) -> BTreeMap<String, String> {
    let line = sheet.lines().find(|l| l.starts_with("at ")).expect("an at line");
    let mut out = BTreeMap::new();
    let (mut depth, mut start, text) = (0, 3, line);
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ','))) {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            ',' if depth == 0 && i >= start => {
                let (k, v) = text[start..i].split_once('=').unwrap();
                out.insert(k.trim().to_string(), v.trim().to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    out
}

fn numbers(text: &str) -> Vec<f64> {
    text.split(|c: char| "[], ".contains(c)).filter(|s| !s.is_empty()).map(|s| s.parse().unwrap()).collect()
}

/// The key's answers: (target, value), in order.
fn key_answers(key: &str) -> Vec<(String, f64)> {
    key.lines()
        .filter_map(|l| l.strip_prefix("check "))
        .map(|l| {
            let (t, v) = l.rsplit_once(" = ").unwrap();
            (t.to_string(), v.parse().unwrap())
        })
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-12)
}

/// The function sheet's answers by this file's formulas: z, a, dL/da, dL/dz, dL/dw, new w.
fn function_oracle(at: &BTreeMap<String, String>) -> Vec<f64> {
    let v = |n: &str| at[n].parse::<f64>().unwrap();
    let (w, x, b, y) = (v("w"), v("x"), v("b"), v("y"));
    let z = w * x + b;
    let a = sigmoid(z);
    let dz = (a - y) * a * (1.0 - a);
    vec![z, a, a - y, dz, dz * x, w - 0.5 * dz * x]
}

/// The network sheet's answers (two-layer.net, x = [0.05, 0.1], b = 0.35, 0.6, half the squared
/// error, lr 0.5): z1[0], a1[0], a2[0], E, δ2[0], δ1[0], dE/dW2[0][1], dE/dW1[0][0], new W2[0][0].
fn network_oracle(at: &BTreeMap<String, String>) -> Vec<f64> {
    let w1 = numbers(&at["W1"]);
    let w2 = numbers(&at["W2"]);
    let t = numbers(&at["target"]);
    let x = [0.05, 0.1];
    let z1: Vec<f64> = (0..2).map(|i| w1[2 * i] * x[0] + w1[2 * i + 1] * x[1] + 0.35).collect();
    let a1: Vec<f64> = z1.iter().map(|z| sigmoid(*z)).collect();
    let z2: Vec<f64> = (0..2).map(|i| w2[2 * i] * a1[0] + w2[2 * i + 1] * a1[1] + 0.6).collect();
    let a2: Vec<f64> = z2.iter().map(|z| sigmoid(*z)).collect();
    let e = 0.5 * ((a2[0] - t[0]).powi(2) + (a2[1] - t[1]).powi(2));
    let d2: Vec<f64> = (0..2).map(|k| (a2[k] - t[k]) * a2[k] * (1.0 - a2[k])).collect();
    let d1_0 = (w2[0] * d2[0] + w2[2] * d2[1]) * a1[0] * (1.0 - a1[0]);
    let g_w2_00 = d2[0] * a1[0];
    vec![z1[0], a1[0], a2[0], e, d2[0], d1_0, d2[0] * a1[1], d1_0 * x[0], w2[0] - 0.5 * g_w2_00]
}

fn variants(sheet: &str, seed: &str, dir: &Path) {
    let out =
        backprop(&["exercise", "variants", sheet, "--count", "30", "--seed", seed, "--out", dir.to_str().unwrap()]);
    assert_eq!(out.status, 0, "{}", out.stderr);
}

/// `check` of many sheets at once (the variants are made again once for all): its JSON.
fn check_files(paths: &[std::path::PathBuf]) -> (i32, serde_json::Value) {
    let mut args = vec!["check".to_string()];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    args.extend(["--format".into(), "json".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = backprop(&args);
    (out.status, serde_json::from_str(&out.stdout).unwrap_or_else(|_| panic!("{}{}", out.stdout, out.stderr)))
}

/// Every key of 30 variants is this file's oracle's, and judged fully right; a mutated answer
/// in each variant is named as that mistake.
fn keys_and_mutations(
    sheet: &str,
    seed: &str,
    oracle: fn(&BTreeMap<String, String>) -> Vec<f64>,
    mutation: (usize, &str),
) {
    let dir = temp_dir(&format!("class-{}", Path::new(sheet).file_stem().unwrap().to_str().unwrap()));
    variants(sheet, seed, &dir);
    let (index, name) = mutation;
    let (mut keys, mut mutants, mut signs) = (Vec::new(), Vec::new(), Vec::new());
    for k in 1..=30 {
        let key_path = dir.join(format!("variant-{k:02}-key.txt"));
        let key = std::fs::read_to_string(&key_path).unwrap();
        let answers = key_answers(&key);
        let right = oracle(&at_line(&key));
        assert_eq!(answers.len(), right.len(), "variant {k}");
        for ((target, got), want) in answers.iter().zip(&right) {
            assert!(close(*got, *want), "variant {k}: {target} = {got}, the oracle says {want}");
        }
        signs.push(right[index] > 0.0);
        keys.push(key_path);
        // The mistake, made on this variant's numbers (the oracle's value with the mistake).
        let wrong = match name {
            "sign flip" => -right[index],
            "σ′ forgotten" => right[2],
            other => panic!("no mutation {other}"),
        };
        let mut n = 0;
        let mutated: String = key
            .lines()
            .map(|l| {
                let is_check = l.starts_with("check ");
                n += usize::from(is_check);
                if is_check && n == index + 1 {
                    format!("{} = {:.6e}", l.rsplit_once(" = ").unwrap().0, wrong)
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        let path = dir.join(format!("mutated-{k:02}.txt"));
        std::fs::write(&path, mutated).unwrap();
        mutants.push(path);
    }
    let (status, json) = check_files(&keys);
    assert_eq!(status, 0, "a key is not judged right:\n{json}");
    assert_eq!(json["correct"], 30 * oracle(&at_line(&std::fs::read_to_string(&keys[0]).unwrap())).len());
    let (status, json) = check_files(&mutants);
    assert_eq!(status, 1, "{json}");
    for (k, sheet) in json["sheets"].as_array().unwrap().iter().enumerate() {
        let check = &sheet["exercises"][0]["checks"][index];
        assert_eq!(check["mistake"], name, "variant {}: {check}", k + 1);
        assert_eq!(
            sheet["exercises"][0]["checks"].as_array().unwrap().iter().filter(|c| c["correct"] == true).count(),
            json["sheets"][0]["exercises"][0]["checks"].as_array().unwrap().len() - 1
        );
    }
    assert!(signs.contains(&true) && signs.contains(&false), "the signs of a check's answers are mixed: {signs:?}");
}

#[test]
fn thirty_variants_of_a_function_sheet() {
    keys_and_mutations("examples/class/function.txt", "42", function_oracle, (3, "σ′ forgotten"));
}

#[test]
fn thirty_variants_of_a_network_sheet() {
    keys_and_mutations("examples/class/network.txt", "7", network_oracle, (5, "sign flip"));
}

#[test]
fn the_same_seed_gives_the_same_files() {
    let (a, b) = (temp_dir("class-seed-a"), temp_dir("class-seed-b"));
    variants("examples/class/network.txt", "11", &a);
    variants("examples/class/network.txt", "11", &b);
    let mut names: Vec<_> = std::fs::read_dir(&a).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    assert_eq!(names.len(), 30 * 2 + 3, "{names:?}");
    for name in names {
        assert_eq!(std::fs::read(a.join(&name)).unwrap(), std::fs::read(b.join(&name)).unwrap(), "{name:?}");
    }
    let other = temp_dir("class-seed-c");
    variants("examples/class/network.txt", "12", &other);
    assert_ne!(std::fs::read(a.join("variant-01.txt")).unwrap(), std::fs::read(other.join("variant-01.txt")).unwrap());
}

#[test]
fn a_class_folder_gives_its_gradebook() {
    let dir = temp_dir("class-gradebook");
    variants("examples/class/function.txt", "42", &dir);
    let class = dir.join("class");
    std::fs::create_dir_all(&class).unwrap();
    std::fs::copy(dir.join("function.txt"), class.join("function.txt")).unwrap();
    // Marks: z 1, a 1, then 2 each (carried 50%). Student k: every third writes z off by 0.5
    // and carries it on through a (right method, half of a's mark); every fifth leaves dL/dw blank.
    let mut expected = BTreeMap::new();
    for k in 1..=30usize {
        let key = std::fs::read_to_string(dir.join(format!("variant-{k:02}-key.txt"))).unwrap();
        let at = at_line(&key);
        let right = function_oracle(&at);
        let mut answers: Vec<String> = right.iter().map(|v| format!("{v:.8}")).collect();
        let mut total = 10.0;
        if k.is_multiple_of(3) {
            answers[0] = format!("{:.8}", right[0] + 0.5);
            answers[1] = format!("{:.8}", sigmoid(right[0] + 0.5));
            total -= 1.0 + 0.5;
        }
        if k.is_multiple_of(5) {
            answers[4].clear();
            total -= 2.0;
        }
        let sheet = std::fs::read_to_string(dir.join(format!("variant-{k:02}.txt"))).unwrap();
        let mut i = 0;
        let filled: Vec<String> = sheet
            .lines()
            .map(|l| {
                if l.starts_with("check ") {
                    i += 1;
                    format!("{} {}", l, answers[i - 1])
                } else {
                    l.to_string()
                }
            })
            .collect();
        std::fs::write(class.join(format!("student-{k:02}.txt")), filled.join("\n")).unwrap();
        expected.insert(format!("student-{k:02}.txt"), total);
    }
    let out = backprop(&["check", "--class", class.to_str().unwrap()]);
    assert_eq!(out.status, 1, "wrong answers, every sheet marked: {}{}", out.stdout, out.stderr);
    let csv = std::fs::read_to_string(class.join("gradebook.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 31, "{csv}");
    assert!(rows[0].starts_with("file,variant,"), "{}", rows[0]);
    for row in &rows[1..] {
        let fields: Vec<&str> = row.split(',').collect();
        let file = Path::new(fields[0]).file_name().unwrap().to_str().unwrap();
        let total: f64 = fields[fields.len() - 3].parse().unwrap();
        assert_eq!(total, expected[file], "{row}");
        let k: usize = file[8..10].parse().unwrap();
        assert_eq!(fields[1], k.to_string(), "the variant column: {row}");
        if k.is_multiple_of(3) {
            assert!(row.contains("a: error carried forward from z"), "{row}");
        }
    }
    assert!(out.stdout.contains("30 sheets marked"), "{}", out.stdout);
    assert!(out.stdout.contains("error carried forward from z (10 of 30)"), "the mistake most made: {}", out.stdout);
}

#[test]
fn a_moodle_export_holds_every_key() {
    let dir = temp_dir("class-moodle");
    variants("examples/class/network.txt", "7", &dir);
    let out = backprop(&["exercise", "moodle", "examples/class/network.txt", "--count", "30", "--seed", "7"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let xml = roxmltree::Document::parse(&out.stdout).expect("well-formed XML");
    let questions: Vec<_> = xml.descendants().filter(|n| n.has_tag_name("question")).collect();
    let categories = questions.iter().filter(|q| q.attribute("type") == Some("category")).count();
    assert_eq!(categories, 30);
    let numerical: Vec<_> = questions.iter().filter(|q| q.attribute("type") == Some("numerical")).collect();
    assert_eq!(numerical.len(), 30 * 9);
    let text = |n: &roxmltree::Node, tag: &str| {
        n.descendants()
            .find(|d| d.has_tag_name(tag))
            .unwrap()
            .descendants()
            .find(|d| d.is_text())
            .unwrap()
            .text()
            .unwrap()
            .to_string()
    };
    for (k, chunk) in numerical.chunks(9).enumerate() {
        let key = std::fs::read_to_string(dir.join(format!("variant-{:02}-key.txt", k + 1))).unwrap();
        for (q, (target, value)) in chunk.iter().zip(key_answers(&key)) {
            let answer = q.descendants().find(|d| d.has_tag_name("answer")).unwrap();
            let given: f64 = text(&answer, "text").parse().unwrap();
            assert!(close(given, value), "variant {} {target}: {given} vs {value}", k + 1);
            let tolerance: f64 = text(&answer, "tolerance").parse().unwrap();
            let lead = value.abs().log10().floor() as i32;
            assert!(close(tolerance, 0.5 * 10f64.powi(lead - 1)), "{target}: ±{tolerance} for {value}");
            assert!(text(q, "questiontext").contains("dense 2 sigmoid"), "the network is in the question");
        }
    }
}

#[test]
fn bad_class_input_is_reported_at_its_place() {
    let dir = temp_dir("class-bad");
    let unfair = "exercise \"saturated\"\nz = w*x\na = sigmoid(z)\nat w = 5..6 step 1, x = 2\ncheck a =\n";
    std::fs::write(dir.join("unfair.txt"), unfair).unwrap();
    let out = backprop(&["exercise", "variants", dir.join("unfair.txt").to_str().unwrap(), "--count", "3"]);
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("no fair numbers") && out.stderr.contains("unfair.txt:4:1"), "{}", out.stderr);
    assert!(out.stderr.contains("a saturated σ"), "{}", out.stderr);
    let few = "exercise \"few\"\nf = w*x\nat w in [1, 2], x = 3\ncheck f =\n";
    std::fs::write(dir.join("few.txt"), few).unwrap();
    let out = backprop(&[
        "exercise",
        "variants",
        dir.join("few.txt").to_str().unwrap(),
        "--count",
        "3",
        "--out",
        dir.join("few").to_str().unwrap(),
    ]);
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("only 2 variants"), "{}", out.stderr);
    // The reasons count the third variant's own 2,000 draws, not the earlier variants' too.
    let counted: usize = out
        .stderr
        .split("of 2000 draws: ")
        .nth(1)
        .and_then(|rest| rest.split(" with ").next())
        .and_then(|n| n.trim().parse().ok())
        .expect("a count of refused draws");
    assert!(counted <= 2000, "{counted} refusals of 2000 draws: {}", out.stderr);
    // In Chinese, the same place and the reasons in Chinese.
    let zh = backprop(&["exercise", "variants", dir.join("few.txt").to_str().unwrap(), "--count", "3", "--lang", "zh"]);
    assert!(zh.stderr.contains("从这些范围里只能生成 2 个数值合理且互不相同的版本"), "{}", zh.stderr);
    assert!(zh.stderr.contains("次与另一个版本的数值相同"), "{}", zh.stderr);
    let range = "exercise \"r\"\nf = w*x\nat w = 2..1 step 0.5, x = 3\ncheck f =\n";
    std::fs::write(dir.join("range.txt"), range).unwrap();
    let out = backprop(&["exercise", "variants", dir.join("range.txt").to_str().unwrap()]);
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("range.txt:3:8") && out.stderr.contains("the range is empty"), "{}", out.stderr);
    for seed in ["-1", "18446744073709551616", "x"] {
        let out = backprop(&["exercise", "variants", "examples/class/function.txt", "--seed", seed]);
        assert_eq!(out.status, 2, "{seed}");
        assert!(out.stderr.contains("the seed is a whole number from 0 to 18446744073709551615"), "{}", out.stderr);
    }
    // Student sheets: no variant line, an unknown variant, numbers not the variant's.
    variants("examples/class/function.txt", "42", &dir.join("set"));
    let class = dir.join("class");
    std::fs::create_dir_all(&class).unwrap();
    std::fs::copy("examples/class/function.txt", class.join("function.txt")).unwrap();
    let sheet = std::fs::read_to_string(dir.join("set/variant-02.txt")).unwrap();
    std::fs::write(class.join("a.txt"), sheet.replace("variant 2 of 30", "variant 31 of 30")).unwrap();
    std::fs::write(
        class.join("b.txt"),
        sheet.lines().filter(|l| !l.starts_with("variant ")).collect::<Vec<_>>().join("\n"),
    )
    .unwrap();
    let at = sheet.lines().find(|l| l.starts_with("at ")).unwrap();
    std::fs::write(class.join("c.txt"), sheet.replace(at, "at w = 1, x = 1, b = 0, y = 1")).unwrap();
    let out = backprop(&["check", "--class", class.to_str().unwrap()]);
    assert_eq!(out.status, 2);
    for (file, part) in [
        ("a.txt:2:9", "there is no such variant"),
        ("b.txt:1:1", "this sheet has no `variant` line"),
        ("c.txt:", "this is not variant 2 of function.txt's exercise"),
    ] {
        assert!(out.stdout.contains(file) && out.stdout.contains(part), "{file} {part}: {}", out.stdout);
    }
}
