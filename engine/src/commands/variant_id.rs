//! A student's sheet says which variant it is (`variant 7 of 30 from "function.txt" seed 42`):
//! `check` makes that variant again from the teacher's sheet and holds the student's numbers and
//! questions to it, so a sheet is judged against its own numbers and no other.

use super::exercise::Source;
use crate::error::{Error, Phrase, Result, both};
use crate::exercise::variants::Variant;
use crate::exercise::{Exercise, Located, SheetSource, Subject, read_sheet};
use crate::host::Host;
use std::collections::{BTreeMap, HashMap};

/// The variants a set of sheets name, each made once: (source path, seed, count) → variants.
pub type Made = HashMap<(String, u64, usize), std::result::Result<Vec<Variant>, Error>>;

/// Makes, once per teacher's sheet, every variant the sheets (text, folder) name.
pub fn make_variants<'s>(sheets: impl Iterator<Item = (&'s str, &'s str)>, host: &dyn Host) -> Made {
    let mut needed: BTreeMap<(String, u64, usize), usize> = BTreeMap::new();
    for (text, base) in sheets {
        if let Some(v) = read_sheet(text).variant {
            let path = crate::net::data::join_path(base, &v.source.text);
            let upto = needed.entry((path, v.seed, v.count)).or_default();
            *upto = (*upto).max(v.number);
        }
    }
    needed
        .into_iter()
        .map(|((path, seed, count), upto)| {
            let made = Source::read(&path, host)
                .and_then(|source| source.variants(seed, (count, upto), crate::lang::Lang::En, host));
            ((path, seed, count), made)
        })
        .collect()
}

/// Whether a student's sheet (its name, text and folder) has its variant's numbers: `Err`
/// says where it does not.
pub fn verify(name: &str, text: &str, base: &str, made: &Made) -> Result<()> {
    let sheet = read_sheet(text);
    let Some(id) = sheet.variant else { return Ok(()) };
    let source = SheetSource { name, text, base, host: &crate::host::NoFiles };
    let path = crate::net::data::join_path(base, &id.source.text);
    let variants = match made.get(&(path, id.seed, id.count)) {
        Some(Ok(v)) => v,
        Some(Err(e)) => {
            let (sheet, why, why_zh) = (&id.source.text, &e.message, e.phrase().chinese().to_string());
            let message = both(
                format!("the variant's sheet `{sheet}` cannot be used: {why}"),
                format!("这个版本所依据的练习单 `{sheet}` 无法使用：{why_zh}"),
            );
            return Err(source.placed(Error::at(message, id.source.span.clone())));
        }
        None => return Ok(()),
    };
    let variant = read_sheet(&variants[id.number - 1].sheet);
    let placed = |line: usize, what: Phrase| {
        source.placed(
            Error::at(
                both(
                    format!("this is not variant {} of {}'s exercise: {}", id.number, id.source.text, what.en),
                    format!("这不是 {} 第 {} 个版本中的练习：{}", id.source.text, id.number, what.chinese()),
                ),
                source.line_span(line),
            )
            .with_label(both(
                "the numbers and the questions of a variant are the teacher's; answers go after each `=`",
                "版本中的数和题目由老师给定；答案写在每个 `=` 后面",
            )),
        )
    };
    if variant.exercises.len() != sheet.exercises.len() {
        let line = sheet.exercises.last().map_or(id.line, |e| e.line);
        let n = variant.exercises.len();
        return Err(placed(line, both(format!("it has {n} exercises"), format!("该版本有 {n} 道练习"))));
    }
    for (mine, theirs) in sheet.exercises.iter().zip(&variant.exercises) {
        if let Some((line, what)) = difference(mine, theirs) {
            return Err(placed(line, what));
        }
    }
    Ok(())
}

/// The first line where a student's exercise differs from the variant's, and how.
fn difference(mine: &Exercise, theirs: &Exercise) -> Option<(usize, Phrase)> {
    let text = |l: &Located| l.text.trim().to_string();
    if mine.title != theirs.title {
        let title = &theirs.title;
        return Some((
            mine.line,
            both(format!("the variant's exercise is \"{title}\""), format!("该版本的练习是“{title}”")),
        ));
    }
    let subject = |e: &Exercise| match &e.subject {
        Some(Subject::Function(lines)) => lines.iter().map(text).collect::<Vec<_>>(),
        Some(Subject::Network(path)) => vec![format!("network \"{}\"", path.text)],
        None => Vec::new(),
    };
    if subject(mine) != subject(theirs) {
        return Some((mine.line, both("its function or network differs from the variant's", "函数或网络与该版本不同")));
    }
    if mine.at.as_ref().map(text) != theirs.at.as_ref().map(text) {
        let line = mine.at.as_ref().map_or(mine.line, |a| a.line);
        let at = theirs.at.as_ref().map(text).unwrap_or_default();
        return Some((line, both(format!("the variant has `at {at}`"), format!("该版本写的是 `at {at}`"))));
    }
    if mine.checks.len() != theirs.checks.len() {
        let n = theirs.checks.len();
        return Some((
            mine.line,
            both(format!("the variant asks {n} questions here"), format!("该版本此处有 {n} 道题")),
        ));
    }
    for (a, b) in mine.checks.iter().zip(&theirs.checks) {
        if text(&a.target) != text(&b.target) {
            let target = b.target.text.trim();
            return Some((
                a.target.line,
                both(format!("the variant asks for `{target}` here"), format!("该版本此处问的是 `{target}`")),
            ));
        }
    }
    None
}
