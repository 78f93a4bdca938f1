//! `check` speaks Chinese to a Chinese student: `--lang zh`, or a zh_* locale in the
//! environment. Verdicts, diagnoses, hints and summaries change language; the sheet's own
//! expressions, the numbers and the JSON keys do not.

use crate::common::run;
use serde_json::Value;
use std::process::Command;

const WRONG: &str = "examples/sheets/sigmoid-neuron-wrong.txt";

fn stdout(args: &[&str]) -> (String, i32) {
    let out = run(args, "");
    (String::from_utf8_lossy(&out.stdout).into_owned(), out.status.code().unwrap_or(-1))
}

#[test]
fn wrong_answers_get_chinese_verdicts_diagnoses_and_hints() {
    let (zh, status) = stdout(&["check", WRONG, "--hints", "--lang", "zh"]);
    assert_eq!(status, 1, "{zh}");
    for said in [
        "Sigmoid neuron（第 2 行）",
        "✗ 第 5 行  df/dw0 = 0.20",
        "可能的错误：符号弄反了",
        "可能的错误：漏了因子 σ′(w0·x0 + w1·x1 + w2) = f·(1 − f)",
        "可能的错误：与你的 dL/da（第 14 行）一致：方法是对的，错在前面那个值",
        "可能的错误：该用 a = sigmoid(z) 的地方用了 z 的值",
        "正确答案是 a − y = −0.3775406688",
        "提示：w0 经过 w0·x0 进入 f",
        "3 题中答对 0 题，答错 3 题",
        "全卷：8 题中答对 1 题，答错 7 题",
    ] {
        assert!(zh.contains(said), "missing {said:?} in:\n{zh}");
    }
    for english in ["likely mistake", "hint:", "line 5", "the right", "sheet:", " of 8 right"] {
        assert!(!zh.contains(english), "English {english:?} left in:\n{zh}");
    }
    // The default is English, unchanged.
    let (en, _) = stdout(&["check", WRONG, "--hints"]);
    assert!(en.contains("likely mistake: the sign is flipped"), "{en}");
    assert!(en.contains("sheet: 1 of 8 right, 7 wrong"), "{en}");
}

#[test]
fn the_locale_picks_the_language_and_the_flag_wins() {
    let with_env = |vars: &[(&str, &str)], args: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_backprop"));
        command.args(args).env_remove("LC_ALL").env_remove("LC_MESSAGES").env_remove("LANG");
        for (k, v) in vars {
            command.env(k, v);
        }
        String::from_utf8_lossy(&command.output().expect("the binary runs").stdout).into_owned()
    };
    let zh = stdout(&["check", WRONG, "--lang", "zh"]).0;
    let en = stdout(&["check", WRONG]).0;
    assert_eq!(with_env(&[("LANG", "zh_CN.UTF-8")], &["check", WRONG]), zh);
    assert_eq!(with_env(&[("LC_ALL", "zh_TW.UTF-8"), ("LANG", "en_US.UTF-8")], &["check", WRONG]), zh);
    assert_eq!(with_env(&[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")], &["check", WRONG]), en);
    assert_eq!(with_env(&[("LANG", "zh_CN.UTF-8")], &["check", WRONG, "--lang", "en"]), en);
    // --lang goes anywhere on the line, and a bad one is bad input.
    assert_eq!(stdout(&["--lang", "zh", "check", WRONG]).0, zh);
    let out = run(&["check", WRONG, "--lang", "fr"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("possible values: en, zh"));
}

/// The same keys, numbers and verdict words in both languages; only sentences differ.
#[test]
fn json_keys_and_numbers_do_not_change_with_the_language() {
    let json = |lang: &str| -> Value {
        let (text, _) = stdout(&["check", WRONG, "--hints", "--format", "json", "--lang", lang]);
        serde_json::from_str(&text).expect("JSON")
    };
    fn same_shape(en: &Value, zh: &Value, path: &str, sentences: &mut usize) {
        match (en, zh) {
            (Value::Object(a), Value::Object(b)) => {
                assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "keys at {path}");
                for (k, v) in a {
                    same_shape(v, &b[k], &format!("{path}.{k}"), sentences);
                }
            }
            (Value::Array(a), Value::Array(b)) => {
                assert_eq!(a.len(), b.len(), "length at {path}");
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    same_shape(x, y, &format!("{path}[{i}]"), sentences);
                }
            }
            (Value::String(a), Value::String(b))
                if ["feedback", "hint", "mistake"].iter().any(|k| path.ends_with(k)) =>
            {
                if a != b {
                    *sentences += 1;
                }
            }
            _ => assert_eq!(en, zh, "at {path}"),
        }
    }
    let mut sentences = 0;
    same_shape(&json("en"), &json("zh"), "", &mut sentences);
    assert!(sentences >= 15, "only {sentences} sentences were translated");
}

/// The teacher's summary of a class set, in Chinese; the gradebook CSV is data and stays as it is.
#[test]
fn a_class_summary_in_chinese() {
    let dir = crate::common::temp_dir("chinese-class");
    let out = dir.join("class");
    let made = run(
        &[
            "exercise",
            "variants",
            "examples/class/function.txt",
            "--count",
            "3",
            "--seed",
            "42",
            "--out",
            out.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(made.status.code(), Some(0), "{}", String::from_utf8_lossy(&made.stderr));
    let folder = out.to_str().unwrap();
    let (zh, _) = stdout(&["check", "--class", folder, "--lang", "zh"]);
    for said in
        ["第 1 个版本  6 题中答对 0 题，得 0 分（满分 10）", "共评阅 3 份练习单：平均得分 0", "答对   0/3", "成绩册："]
    {
        assert!(zh.contains(said), "missing {said:?} in:\n{zh}");
    }
    let book = std::fs::read_to_string(out.join("gradebook.csv")).unwrap();
    assert!(book.starts_with("file,variant,"), "{book}");
    std::fs::remove_dir_all(&dir).ok();
}

/// `derive` and `net … step` say their words in Chinese around unchanged formulas and numbers.
#[test]
fn derive_and_a_step_in_chinese() {
    let (zh, status) = stdout(&["derive", "sigmoid(w*x+b)", "--at", "w=2,x=1,b=0.5", "--lang", "zh"]);
    assert_eq!(status, 0);
    assert!(zh.contains("在 w = 2, x = 1, b = 0.5 处：\nf = 0.92414182"), "{zh}");
    assert!(
        zh.contains("∂f/∂w = x·σ(w·x + b)·(1 − σ(w·x + b))\n      = 0.07010371655   有限差分 0.07010371655 ✓"),
        "{zh}"
    );
    let (en, _) = stdout(&["derive", "sigmoid(w*x+b)", "--at", "w=2,x=1,b=0.5"]);
    assert_eq!(
        zh.replace("在 w = 2, x = 1, b = 0.5 处：", "at w = 2, x = 1, b = 0.5:")
            .replace("有限差分", "finite difference"),
        en
    );
    let (step, _) = stdout(&["net", "examples/networks/two-layer.net", "step", "--lang", "zh"]);
    assert!(step.starts_with("更新前的损失：0.2983711088\n"), "{step}");
    assert!(step.contains("更新后的损失：0.2910277737   （同一批量）"), "{step}");
}

/// `grad`'s table in Chinese: headings and costs in Chinese, columns aligned by display width
/// (a Chinese character takes two columns), the numbers as in English.
#[test]
fn a_grad_table_in_chinese() {
    let (zh, status) = stdout(&["grad", "(x+y)*z", "--at", "x=-2,y=5,z=-4", "--lang", "zh"]);
    assert_eq!(status, 0);
    assert!(zh.contains("#  节点        值   局部导数              伴随值 ∂f/∂节点\n"), "{zh}");
    assert!(zh.contains("5  f = u₁·z    −12  ∂/∂u₁ = −4, ∂/∂z = 3  1\n"), "{zh}");
    assert!(zh.contains("梯度：∂f/∂x = −4, ∂f/∂y = −4, ∂f/∂z = 3\n反向模式：2 遍（前向、反向），13 次运算"), "{zh}");
}

/// `net … train`'s table in Chinese: its headings, the rows' numbers as in English.
#[test]
fn a_training_table_in_chinese() {
    let (zh, status) = stdout(&["net", "examples/networks/xor.net", "train", "--lang", "zh"]);
    let (en, _) = stdout(&["net", "examples/networks/xor.net", "train"]);
    assert_eq!(status, 0);
    assert!(zh.starts_with("训练“xor”\n\n迭代周期  损失"), "{zh}");
    let rows = |t: &str| {
        t.lines().skip(4).map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" ")).collect::<Vec<_>>()
    };
    assert_eq!(rows(&zh)[..5], rows(&en)[..5]);
}

fn stderr_of(args: &[&str]) -> (String, i32) {
    let out = run(args, "");
    (String::from_utf8_lossy(&out.stderr).into_owned(), out.status.code().unwrap_or(-1))
}

/// Bad input in Chinese: the words change; the `-->` line, the source line and the caret's
/// column do not, and the status stays 2.
#[test]
fn error_messages_speak_chinese_at_the_same_place() {
    let cases: &[(&[&str], &str, &str)] = &[
        (&["derive", "sigmod(w*x+b)"], "错误：未知函数 `sigmod`", "是不是想写 `sigmoid`？"),
        (&["derive", "2x + 1"], "错误：此处不应出现 `x`；应为输入结尾或运算符", "数字和名称并排不表示相乘：请写 2*x"),
        (&["derive", "w*x +"], "错误：输入意外结束；应为数字、名称或 `(`", ""),
        (&["derive", "sin x"], "错误：此处不应出现 `x`", "函数的参数要写在括号里：请写 sin(x)"),
        (&["derive", "max(x)"], "错误：`max` 需要 2 个参数，却给了 1 个", "请写 max(a, b)"),
        (&["derive", "a = 1; a = 2"], "错误：`a` 被定义了两次", "每个名称只能赋值一次"),
        (&["derive", "x/0"], "错误：除以零", "除数是常数 0"),
        (&["grad", "x*y", "--at", "x=1"], "错误：--at 没有给出变量 y 的值", "请补上 y=…"),
        (&["grad", "log(x)", "--at", "x=-1"], "错误：在这一点，`log(x)` 要对非正数 −1 取对数", ""),
        (&["grad", "x*y", "--at", "x=1, y=z"], "错误：值必须是数，不能是名称 `z`", ""),
        (
            &["derive", "x*y", "--wrt", "q"],
            "错误：`q` 既不是表达式中的变量，也不是有名字的中间量",
            "可以求导的名称：x, y",
        ),
    ];
    for (args, message, label) in cases {
        let mut zh_args = args.to_vec();
        zh_args.extend(["--lang", "zh"]);
        let (zh, status) = stderr_of(&zh_args);
        let (en, en_status) = stderr_of(args);
        assert_eq!((status, en_status), (2, 2), "{zh}\n{en}");
        assert!(zh.starts_with(message), "expected {message:?} in:\n{zh}");
        assert!(zh.contains(label), "expected {label:?} in:\n{zh}");
        assert!(en.starts_with("error: "), "{en}");
        let (zh_lines, en_lines): (Vec<&str>, Vec<&str>) = (zh.lines().collect(), en.lines().collect());
        assert_eq!(zh_lines.len(), en_lines.len(), "{zh}\n{en}");
        for (z, e) in zh_lines.iter().zip(&en_lines).skip(1) {
            // The place line and the source line are the same; the caret stands in the same column.
            let caret = |line: &str| line.find('^');
            match caret(e) {
                Some(_) => assert_eq!(caret(z), caret(e), "{zh}\n{en}"),
                None if e.starts_with("  =") => {}
                None => assert_eq!(z, e, "{zh}\n{en}"),
            }
        }
    }
}

/// A student's answer that does not parse gets its syntax error in Chinese inside `check`.
#[test]
fn an_unreadable_answer_is_explained_in_chinese() {
    let dir = crate::common::temp_dir("zh-answer");
    let sheet = dir.join("s.txt");
    std::fs::write(&sheet, "exercise \"q\"\nf = w*x\nat w = 2, x = 3\ncheck df/dw = 3 +\n").unwrap();
    let (zh, status) = stdout(&["check", sheet.to_str().unwrap(), "--lang", "zh"]);
    assert_eq!(status, 2, "{zh}");
    assert!(zh.contains("错误：输入意外结束；应为数字、名称或 `(`"), "{zh}");
    assert!(!zh.contains("unexpected"), "{zh}");
}

/// Every error the engine gives a reader is written in both languages: `Phrase` has no
/// conversion from a plain string, so the compiler rejects an English-only message, and the
/// one explicit exception, `error::english`, is for the book's author tools outside the engine.
/// This test keeps the engine from reaching for it.
#[test]
fn the_engine_writes_every_error_in_both_languages() {
    fn uses_of_english(dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                uses_of_english(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("error.rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let code = text.split("#[cfg(test)]").next().unwrap_or("");
                // A call of the free function, not a method `.english()` or its definition.
                let called = code.match_indices("english(").any(|(i, _)| {
                    let before = code[..i].chars().last().unwrap_or(' ');
                    !(before == '.' || before == '_' || before.is_alphanumeric() || code[..i].ends_with("fn "))
                });
                if called {
                    out.push(path.display().to_string());
                }
            }
        }
    }
    let mut found = Vec::new();
    uses_of_english(std::path::Path::new("engine/src"), &mut found);
    uses_of_english(std::path::Path::new("web/src"), &mut found);
    assert!(found.is_empty(), "English-only errors in the engine: {found:?} (write them with error::both)");
}

/// `derive --steps` names its rules and notes in Chinese; the formulas are the same bytes.
#[test]
fn the_chain_rule_steps_in_chinese() {
    let args = ["derive", "(x+1)*(x-1) + max(x, 2)", "--steps"];
    let (en, _) = stdout(&args);
    let (zh, status) = stdout(&[&args[..], &["--lang", "zh"]].concat());
    assert_eq!(status, 0, "{zh}");
    for said in [
        "设\n",
        "反向传播，从 f 一直传到各个变量：",
        "条路径（经由",
        "链式法则",
        "乘法法则",
        "max 把梯度传给较大的输入",
        "答案：",
        "[已代回 u₁",
    ] {
        assert!(zh.contains(said), "missing {said:?} in:\n{zh}");
    }
    for english in ["chain rule", "backward pass", "substituted back", "product rule", "paths (via"] {
        assert!(!zh.contains(english), "English {english:?} left in:\n{zh}");
    }
    // Every formula line (no brackets of words) is the same in both languages.
    let formulas = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.contains(" = ") && !l.contains('[') && !l.contains('：'))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(formulas(&zh), formulas(&en));
}

/// `net describe`, `net grad` and a diverged `net train` in Chinese: headings, the δ notes, the
/// update's note, both checks and the stop line; names, formulas and numbers unchanged.
#[test]
fn network_reports_in_chinese() {
    let (describe, _) = stdout(&["net", "examples/networks/xor.net", "describe", "--lang", "zh"]);
    for said in [
        "网络“xor”",
        "单元数",
        "参数总数：17",
        "前向传播：",
        "反向传播（误差项 δ = ∂E/∂z，逐样本计算）：",
        "（sigmoid 输出层搭配二元交叉熵损失）",
        "梯度：",
        "更新：",
        "（adam，α = 0.05；对一个批量的 m 个样本取平均）",
        "z¹ = W¹·x + b¹,  a¹ = tanh(z¹)",
    ] {
        assert!(describe.contains(said), "missing {said:?} in:\n{describe}");
    }
    let (grad, _) = stdout(&["net", "examples/networks/xor.net", "grad", "--lang", "zh"]);
    for said in [
        "损失 E = 0.6996827798   （第一个批量：4 个样本）",
        "检验 1，中心差分：17 个值中",
        "检验 2，展开为标量计算图：17 个值中",
        "✓",
    ] {
        assert!(grad.contains(said), "missing {said:?} in:\n{grad}");
    }
    let (table, _) = stdout(&["net", "examples/networks/xor.net", "grad", "--table", "--lang", "zh"]);
    for said in [
        "第 1 个样本的手算过程：x = [0, 0]，目标 = [0]",
        "输出层（第 2 层，sigmoid）",
        "隐藏层（第 1 层，tanh）",
        "这一步的 ∂E/∂w",
        "更新后（adam，α = 0.05）",
    ] {
        assert!(table.contains(said), "missing {said:?} in:\n{table}");
    }
    let (train, _) = stdout(&["net", "examples/networks/exploding.net", "train", "--lang", "zh"]);
    assert!(
        train.contains("个迭代周期的第") && train.contains("损失已不是有限值（inf 或 NaN）；绝对值最大的参数"),
        "{train}"
    );
    let (english, _) = stdout(&["net", "examples/networks/exploding.net", "train"]);
    assert!(english.contains(": the loss stopped being a number; the largest parameter"), "{english}");
    for english in
        ["network \"", "forward pass", "first batch", "check 1", "stopped at", "hand calculation", "layer 2", "updated"]
    {
        assert!(![&describe, &grad, &train, &table].iter().any(|t| t.contains(english)), "English {english:?} left");
    }
}

/// Pictures in Chinese: the graph's legend and point, a plot's title and axes.
#[test]
fn pictures_in_chinese() {
    let (graph, _) = stdout(&["graph", "sigmoid(w*x+b)", "--at", "w=1,x=2,b=0", "--lang", "zh"]);
    for said in ["，在 w = 1, x = 2, b = 0 处", "绿色：前向值", "红色：梯度 ∂f/∂节点"] {
        assert!(graph.contains(said), "missing {said:?} in the graph");
    }
    let (training, _) = stdout(&["plot", "training", "examples/networks/xor.net", "--lang", "zh"]);
    for said in ["每个迭代周期的损失", "迭代周期", "损失"] {
        assert!(training.contains(said), "missing {said:?} in the plot");
    }
    let (function, _) = stdout(&["plot", "function", "tanh(x)", "--lang", "zh"]);
    assert!(function.contains("f 及其导数"), "{function}");
    assert!(!graph.contains("forward value") && !training.contains("per epoch"), "English left in a picture");
}

/// A partial with no finite difference says why in Chinese.
#[test]
fn no_finite_difference_in_chinese() {
    let (zh, status) = stdout(&["derive", "1.7976931348623157e308*x", "--at", "x=1", "--lang", "zh"]);
    assert_eq!(status, 0);
    assert!(zh.contains("无法取有限差分：在这一点附近 x = 1.000006055 处，`1.7976931348623157e308·x` 溢出"), "{zh}");
}

/// A variant and its key in Chinese: the comments and the working change; every line a student
/// answers or `check` reads (the exercises, the numbers, the `variant` line) is the same bytes.
#[test]
fn a_variant_and_its_key_in_chinese() {
    let args = ["exercise", "show", "examples/class/function.txt", "--number", "3", "--seed", "42", "--key"];
    let (en, _) = stdout(&args);
    let (zh, status) = stdout(&[&args[..], &["--lang", "zh"]].concat());
    assert_eq!(status, 0, "{zh}");
    assert!(
        zh.starts_with("# function.txt 的第 3 个版本（共 30 个，随机种子 42）：请把答案写在每个 `=` 后面。"),
        "{zh}"
    );
    assert!(zh.contains("# 答案：每道题的答案，以及计算过程。") && zh.contains("局部导数"), "{zh}");
    let read = |text: &str| text.lines().filter(|l| !l.starts_with('#')).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(read(&zh), read(&en));
}
