//! The segmenter, the translation of a chapter, its checks and `book po`.

use super::*;

const CHAPTER: &str = "# Background (背景介绍)\n\n<div class=\"backprop-goals\">\n\n- name the parts\n  of a neuron;\n\n</div>\n\nA **weight** $w\\,x$ and\na bias {{loss: L, 4}}.\n\n```backprop\nderive \"x^2\"\nexpect ∂f/∂x = 2·x\n```\n\n| a | b |\n|---|---|\n| one | two |\n\n$$\\frac{1}{2}\n(a - y)^2$$\n";

#[test]
fn a_chapter_is_cut_into_units_and_code_and_math_are_left_alone() {
    let all = units(CHAPTER);
    let found: Vec<(usize, &str, &str)> = all.iter().map(|u| (u.line, u.prefix.as_str(), u.text.as_str())).collect();
    assert_eq!(
        found,
        vec![
            (1, "# ", "Background (背景介绍)"),
            (5, "- ", "name the parts of a neuron;"),
            (10, "", "A **weight** $w\\,x$ and a bias {{loss: L, 4}}."),
            (18, "", "| a | b |"),
            (20, "", "| one | two |"),
        ]
    );
}

/// What a block says in words is translated; what it runs is not (an `exercise show`
/// command, the sheet's lines, the claims, a Python block's comments).
#[test]
fn a_blocks_caption_titles_and_comments_are_units() {
    let chapter = "```backprop\ncheck -\nexercise \"Sum over paths\"\n# Olah's fan-out.\nf = x*y\ncheck df/dx = 3\n\
                   expect f = 6\ncaption The fan-out.\n```\n\n```backprop\nexercise show s.txt --number 1\n```\n\n\
                   ```python\n# a comment\n```\n";
    let found: Vec<(usize, String, String)> = units(chapter).into_iter().map(|u| (u.line, u.prefix, u.text)).collect();
    let expected =
        [(3, "exercise ", "\"Sum over paths\""), (4, "# ", "Olah's fan-out."), (8, "caption ", "The fan-out.")];
    assert_eq!(found, expected.map(|(l, p, t)| (l, p.to_string(), t.to_string())));
}

fn catalogue(entries: &[(&str, &str)], fuzzy: &[(&str, &str)]) -> Catalogue {
    let map = |e: &[(&str, &str)]| e.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    Catalogue { translated: map(entries), fuzzy: map(fuzzy) }
}

#[test]
fn a_translated_chapter_keeps_its_blocks_and_its_line_numbers() {
    let c = catalogue(
        &[
            ("Background (背景介绍)", "背景介绍"),
            ("name the parts of a neuron;", "说出神经元的各个部分；"),
            ("A **weight** $w\\,x$ and a bias {{loss: L, 4}}.", "**权重**（weight）$w\\,x$ 与偏置 {{loss: L, 4}}。"),
            ("| a | b |", "| 甲 | 乙 |"),
            ("| one | two |", "| 一 | 二 |"),
        ],
        &[],
    );
    let mut problems = Vec::new();
    let zh = translate(CHAPTER, "src/x.md", &c, &mut problems);
    assert_eq!(problems, Vec::<String>::new());
    assert!(zh.starts_with("# 背景介绍\n"), "{zh}");
    assert!(zh.contains("- 说出神经元的各个部分；\n"), "{zh}");
    assert!(zh.contains("```backprop\nderive \"x^2\"\nexpect ∂f/∂x = 2·x\n```"), "{zh}");
    assert!(zh.contains("$$\\frac{1}{2}\n(a - y)^2$$"), "{zh}");
    // The paragraph of lines 10–11 keeps line 12 where it was.
    assert_eq!(zh.lines().position(|l| l.starts_with("**权重**")), Some(9));
    assert_eq!(zh.lines().nth(10), Some(""));
    assert_eq!(zh.lines().nth(12), Some("```backprop"));
}

#[test]
fn missing_stale_and_unfaithful_translations_are_named_at_their_line() {
    let c = catalogue(
        &[
            ("Background (背景介绍)", "背景介绍"),
            ("A **weight** $w\\,x$ and a bias {{loss: L, 4}}.", "**权重** $w,x$ 与偏差。"),
            ("| a | b |", "| 甲乙 |"),
        ],
        &[("name the parts of a neuron;", "说出各个部分；")],
    );
    let mut problems = Vec::new();
    let _ = translate(CHAPTER, "src/x.md", &c, &mut problems);
    assert_eq!(problems.len(), 4, "{problems:#?}");
    assert!(problems[0].starts_with("src/x.md:5: its Chinese is stale"), "{}", problems[0]);
    assert!(problems[1].starts_with("src/x.md:10: its Chinese changes what must be kept"), "{}", problems[1]);
    assert!(problems[1].contains("{{loss: L, 4}}"), "{}", problems[1]);
    assert!(problems[2].starts_with("src/x.md:18: its Chinese has another number of table cells"), "{}", problems[2]);
    assert!(problems[3].starts_with("src/x.md:20: it has no Chinese"), "{}", problems[3]);
    let mut problems = Vec::new();
    let c = catalogue(&[("| one | two |", "| 偏差 | 二 |")], &[]);
    let _ = translate("| one | two |\n", "src/y.md", &c, &mut problems);
    assert!(problems[0].contains("偏差, which is not this book's term"), "{problems:?}");
}

#[test]
fn an_update_keeps_translations_and_marks_a_changed_paragraph_fuzzy() {
    let dir = std::env::temp_dir().join(format!("backprop-po-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let po = dir.join("zh-Hans.po");
    let english = |second: &str| vec![("src/a.md".to_string(), format!("# Title\n\n{second}\n"))];
    assert_eq!(update(&po, &english("One paragraph."), &po), Ok((2, 0)));
    let text = std::fs::read_to_string(&po).unwrap();
    let filled = text
        .replace("msgid \"Title\"\nmsgstr \"\"", "msgid \"Title\"\nmsgstr \"标题\"")
        .replace("msgid \"One paragraph.\"\nmsgstr \"\"", "msgid \"One paragraph.\"\nmsgstr \"一段。\"");
    std::fs::write(&po, filled).unwrap();
    assert_eq!(update(&po, &english("One changed paragraph."), &po), Ok((0, 1)));
    let text = std::fs::read_to_string(&po).unwrap();
    assert!(text.contains("#, fuzzy\nmsgid \"One changed paragraph.\"\nmsgstr \"一段。\""), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}
