//! `check --class DIR`: a folder of a class's filled-in variants marked into a gradebook (CSV),
//! and what the teacher reads: per check, how many were right and the mistake most of the
//! class made.

use super::check::{CheckReport, SheetInput, check};
use crate::error::{Error, Result, both};
use crate::exercise::{Outcome, SheetSource, read_sheet};
use crate::format::format_number;
use crate::host::Host;
use crate::said::Said;
use std::collections::BTreeMap;

/// `check --class DIR`: the sheets judged, the gradebook and the summary.
pub struct ClassReport {
    pub check: CheckReport,
    pub gradebook_path: String,
    pub gradebook: String,
    pub summary: String,
}

pub fn class(dir: &str, gradebook: Option<&str>, lang: crate::lang::Lang, host: &dyn Host) -> Result<ClassReport> {
    let folder = dir.trim_end_matches('/');
    let names = host.list(folder).map_err(|e| {
        Error::new(both(
            format!("cannot read the class folder `{dir}`: {e}"),
            format!("无法读取班级文件夹 `{dir}`：{e}"),
        ))
    })?;
    let mut inputs = Vec::new();
    for name in names.iter().filter(|n| n.ends_with(".txt") && !n.contains("key") && *n != "links.txt") {
        let path = format!("{folder}/{name}");
        let text = crate::syntax::read_text(host, &path, &path)?;
        inputs.push(SheetInput { name: path, text, base: folder.to_string() });
    }
    // The teacher's sheet, where `exercise variants` copied it beside the variants, is not a student's.
    let sources: Vec<String> = inputs
        .iter()
        .filter_map(|s| read_sheet(&s.text).variant.map(|v| format!("{folder}/{}", v.source.text)))
        .collect();
    inputs.retain(|s| !sources.contains(&s.name));
    if inputs.is_empty() {
        return Err(Error::new(both(
            format!("the class folder `{dir}` has no sheets (.txt files other than keys)"),
            format!("班级文件夹 `{dir}` 里没有练习单（答案文件以外的 .txt 文件）"),
        )));
    }
    let mut report = check(inputs, false, lang, host);
    for s in report.sheets.iter_mut().filter(|s| s.error.is_none()) {
        let sheet = read_sheet(&s.text);
        if sheet.variant.is_none() {
            let source = SheetSource { name: &s.name, text: &s.text, base: "", host: &crate::host::NoFiles };
            // A `variant` line that could not be read says why itself.
            let said =
                sheet.exercises.iter().flat_map(|e| &e.errors).find(|(line, _)| {
                    s.text.lines().nth(line - 1).is_some_and(|l| l.trim_start().starts_with("variant"))
                });
            if let Some((_, e)) = said {
                s.error = Some(source.placed(e.clone()));
                continue;
            }
            s.error = Some(
                source.placed(
                    Error::at(
                        both("this sheet has no `variant` line", "这份练习单没有 `variant` 行"),
                        source.line_span(1),
                    )
                    .with_label(both(
                        "a class's sheets are variants: `variant 7 of 30 from \"sheet.txt\" seed 42`",
                        "班级中的每份练习单都应是一个版本，带有一行如：`variant 7 of 30 from \"sheet.txt\" seed 42`",
                    )),
                ),
            );
        }
    }
    let (csv, summary) = gradebook_of(&report);
    let gradebook_path = gradebook.map_or_else(|| format!("{folder}/gradebook.csv"), str::to_string);
    Ok(ClassReport { check: report, gradebook_path, gradebook: csv, summary })
}

/// The gradebook (a row per sheet: file, variant, each check's marks, the total, the mistakes)
/// and what a teacher reads: per check, how many were right and the mistake most made.
fn gradebook_of(report: &CheckReport) -> (String, String) {
    let marked: Vec<_> = report.sheets.iter().filter(|s| s.error.is_none()).collect();
    let columns: Vec<String> = marked
        .first()
        .map(|s| {
            s.exercises
                .iter()
                .flat_map(|e| e.checks.iter().map(move |c| format!("{}: {}", e.title, c.target)))
                .collect()
        })
        .unwrap_or_default();
    let mut csv = vec![
        ["file", "variant"]
            .iter()
            .map(|s| s.to_string())
            .chain(columns.iter().cloned())
            .chain(["total".into(), "out of".into(), "mistakes".into()])
            .map(|f| field(&f))
            .collect::<Vec<_>>()
            .join(","),
    ];
    let mut right = vec![0usize; columns.len()];
    let mut mistakes: Vec<BTreeMap<String, usize>> = vec![BTreeMap::new(); columns.len()];
    let mut totals = Vec::new();
    let mut out_of = 0.0;
    for s in &report.sheets {
        let variant = read_sheet(&s.text).variant.map(|v| v.number.to_string()).unwrap_or_default();
        if let Some(e) = &s.error {
            let mut row = vec![field(&s.name), field(&variant)];
            row.extend(columns.iter().map(|_| String::new()));
            row.extend([String::new(), String::new(), field(&format!("not marked: {}", e.message))]);
            csv.push(row.join(","));
            continue;
        }
        let checks: Vec<_> = s.exercises.iter().flat_map(|e| &e.checks).collect();
        let mut row = vec![field(&s.name), field(&variant)];
        let mut named = Vec::new();
        for (k, c) in checks.iter().enumerate().take(columns.len()) {
            row.push(format_number(c.earned()).replace('−', "-"));
            if c.outcome == Outcome::Right {
                right[k] += 1;
            }
            if let Some(m) = &c.mistake {
                let m = m.to(report.lang);
                named.push(format!("{}: {m}", c.target));
                *mistakes[k].entry(m).or_default() += 1;
            }
        }
        let total: f64 = checks.iter().map(|c| c.earned()).sum();
        let possible: f64 = checks.iter().map(|c| c.marks).sum();
        out_of = f64::max(out_of, possible);
        totals.push(total);
        row.extend([format_number(total), format_number(possible), field(&named.join("; "))]);
        csv.push(row.join(","));
    }
    let n = totals.len();
    let say = |s: Said| s.to(report.lang);
    let mut summary = String::new();
    for s in &report.sheets {
        let variant = read_sheet(&s.text).variant.map(|v| v.number);
        match &s.error {
            Some(e) => summary.push_str(&format!(
                "{}\n{}",
                say(Said::NotMarked { sheet: s.name.clone() }),
                indent(&e.render(report.lang))
            )),
            None => {
                let checks: Vec<_> = s.exercises.iter().flat_map(|e| &e.checks).collect();
                let earned: f64 = checks.iter().map(|c| c.earned()).sum();
                let possible: f64 = checks.iter().map(|c| c.marks).sum();
                let right = checks.iter().filter(|c| c.outcome == Outcome::Right).count();
                let line = Said::SheetMarked {
                    sheet: s.name.clone(),
                    variant,
                    right,
                    of: checks.len(),
                    marks: format_number(earned),
                    out_of: format_number(possible),
                };
                summary.push_str(&format!("{}\n", say(line)));
            }
        }
    }
    summary.push_str(&format!("\n{}", say(Said::SheetsMarked { n })));
    if n > 0 {
        let mean = totals.iter().sum::<f64>() / n as f64;
        let (lo, hi) = totals.iter().fold((f64::MAX, f64::MIN), |(l, h), t| (l.min(*t), h.max(*t)));
        summary.push_str(&say(Said::ClassMarks {
            mean: format_number((mean * 100.0).round() / 100.0),
            out_of: format_number(out_of),
            lo: format_number(lo),
            hi: format_number(hi),
        }));
        let width = columns.iter().map(|c| c.chars().count()).max().unwrap_or(0);
        for (k, column) in columns.iter().enumerate() {
            let most = mistakes[k].iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)));
            let made =
                most.map_or("—".to_string(), |(m, c)| say(Said::MostMade { mistake: m.clone(), count: *c, n }));
            let pad = width - column.chars().count();
            let rights = say(Said::RightOf { right: right[k], n });
            summary.push_str(&format!("  {column}{}   {rights}   {made}\n", " ".repeat(pad)));
        }
    } else {
        summary.push('\n');
    }
    (csv.join("\n") + "\n", summary)
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

/// A CSV field, quoted where it must be (RFC 4180).
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_string() }
}
