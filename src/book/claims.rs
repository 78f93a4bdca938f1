//! Claims: what a chapter's prose says about a block's result, checked when the book is built.
//! A block may follow its command with lines such as
//!
//! ```text
//! expect sgd 0.11 diverges
//! expect momentum ahead of sgd
//! expect held-out accuracy above 95%
//! expect ∂f/∂w = 0.125
//! ```
//!
//! and the build fails, naming the chapter and line, when one does not hold — so a sentence
//! cannot say "diverges" beside a figure that converges.

use backprop_engine::commands::plot::Run;
use backprop_engine::commands::run::Report;
use backprop_engine::format::format_number;

/// What a claim asserts about its subject.
#[derive(Clone, Debug, PartialEq)]
enum Predicate {
    Diverges,
    Converges,
    ZigZags,
    Below(f64),
    Above(f64),
    AheadOf(String),
    Equals(String),
}

/// Splits `SUBJECT PREDICATE` at the predicate's keyword.
fn read(claim: &str) -> Result<(String, Predicate), String> {
    let words: Vec<&str> = claim.split_whitespace().collect();
    let subject = |end: usize| words[..end].join(" ");
    let number = |w: &str| {
        let (text, percent) = match w.strip_suffix('%') {
            Some(t) => (t, true),
            None => (w, false),
        };
        text.parse::<f64>().map(|v| if percent { v / 100.0 } else { v }).map_err(|_| format!("`{w}` is not a number"))
    };
    match words.as_slice() {
        [.., "diverges"] => Ok((subject(words.len() - 1), Predicate::Diverges)),
        [.., "converges"] => Ok((subject(words.len() - 1), Predicate::Converges)),
        [.., "zigzags"] => Ok((subject(words.len() - 1), Predicate::ZigZags)),
        [.., "below", n] => Ok((subject(words.len() - 2), Predicate::Below(number(n)?))),
        [.., "above", n] => Ok((subject(words.len() - 2), Predicate::Above(number(n)?))),
        _ => {
            if let Some(i) = words.windows(2).position(|w| w == ["ahead", "of"]) {
                return Ok((subject(i), Predicate::AheadOf(words[i + 2..].join(" "))));
            }
            if let Some(i) = words.iter().position(|w| *w == "=") {
                return Ok((subject(i), Predicate::Equals(words[i + 1..].join(" "))));
            }
            Err(format!(
                "`expect {claim}` is not a claim: write SUBJECT diverges | converges | zigzags | below N | above N | ahead of SUBJECT, or NAME = VALUE"
            ))
        }
    }
}

/// The one run whose name holds every word of `subject`.
fn run<'r>(runs: &'r [Run], subject: &str) -> Result<&'r Run, String> {
    if let Some(exact) = runs.iter().find(|r| r.name == subject) {
        return Ok(exact);
    }
    let words: Vec<&str> = subject.split_whitespace().collect();
    let found: Vec<&Run> = runs.iter().filter(|r| words.iter().all(|w| r.name.contains(w))).collect();
    let names = || runs.iter().map(|r| format!("`{}`", r.name)).collect::<Vec<_>>().join(", ");
    match found.as_slice() {
        [one] => Ok(one),
        [] => Err(format!("no run is called `{subject}`; the runs are {}", names())),
        _ => Err(format!("`{subject}` names more than one run of {}", names())),
    }
}

/// A run's final value, or that it has none.
fn last(run: &Run) -> Result<f64, String> {
    run.values.last().copied().ok_or_else(|| format!("`{}` has no values", run.name))
}

/// Whether a run converges: it did not run away, and its objective fell a hundredfold (or to
/// about zero).
fn converges(run: &Run) -> bool {
    let (Some(&first), Some(&end)) = (run.values.first(), run.values.last()) else { return false };
    !run.diverged && end.is_finite() && (end.abs() <= first.abs() / 100.0 || end.abs() < 1e-6)
}

/// Whether a descent zig-zags: along some coordinate its steps change direction at least
/// four times in a row early on.
fn zigzags(run: &Run) -> bool {
    (0..2).any(|c| {
        let coordinate = |p: &(f64, f64)| if c == 0 { p.0 } else { p.1 };
        let steps: Vec<f64> = run.path.windows(2).take(12).map(|w| coordinate(&w[1]) - coordinate(&w[0])).collect();
        steps.windows(2).filter(|s| s[0] * s[1] < 0.0).count() >= 4
    })
}

/// A number written in a claim holds when the value rounds to it at the digits written, in
/// any notation: `0.125` is ±0.0005, `3.0e-5` is ±0.05e-5 (its last digit, scaled by its
/// exponent), `12` is ±0.5.
fn same_number(value: f64, written: &str) -> Result<bool, String> {
    let plain = written.replace('−', "-");
    let expected: f64 = plain.parse().map_err(|_| format!("`{written}` is not a number"))?;
    let (mantissa, exponent) = match plain.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().map_err(|_| format!("`{written}` is not a number"))?),
        None => (plain.as_str(), 0),
    };
    let decimals = mantissa.split_once('.').map_or(0, |(_, d)| d.len() as i32);
    let last_digit = 10f64.powi(exponent - decimals);
    Ok(value == expected || (value - expected).abs() <= last_digit / 2.0 * (1.0 + 1e-9))
}

/// The runs a claim about a report can name: a plot's curves, or a training run as `training`.
fn runs(report: &Report) -> Vec<Run> {
    match report {
        Report::Plot(plot) => plot.runs.clone(),
        Report::NetTrain(r) => vec![Run {
            name: "training".into(),
            values: r.epochs.iter().map(|e| e.loss).collect(),
            path: Vec::new(),
            diverged: r.diverged.is_some(),
            accuracy: r.epochs.last().and_then(|e| e.accuracy),
        }],
        _ => Vec::new(),
    }
}

/// Checks one claim (the text after `expect`) against a block's report.
pub fn check(claim: &str, report: &Report) -> Result<(), String> {
    let (subject, predicate) = read(claim)?;
    let named = super::values::values(report);
    let value_of = |name: &str| named.iter().find(|(n, _)| n == name).map(|(_, v)| *v);
    let fail = |why: String| Err(format!("the claim `expect {claim}` does not hold: {why}"));
    let runs = runs(report);
    match &predicate {
        Predicate::Equals(written) if written.parse::<f64>().is_err() => {
            // A formula: the printed text, as typed or as the tool writes it.
            let texts = super::values::texts(report);
            let Some((_, text)) = texts.iter().find(|(n, _)| *n == subject) else {
                return Err(format!("`{subject}` is not a formula of this block"));
            };
            let typed = written.replace('*', "·").replace('-', "−");
            if *text == *written || *text == typed { Ok(()) } else { fail(format!("{subject} = {text}")) }
        }
        Predicate::Equals(written) => {
            let Some(value) = value_of(&subject) else {
                let names: Vec<&str> = named.iter().map(|(n, _)| n.as_str()).collect();
                return Err(format!("`{subject}` is not a value of this block; it has {}", names.join(", ")));
            };
            if same_number(value, written)? { Ok(()) } else { fail(format!("{subject} = {}", format_number(value))) }
        }
        Predicate::Below(bound) | Predicate::Above(bound) => {
            let value = match value_of(&subject) {
                Some(v) => v,
                None => last(run(&runs, &subject)?)?,
            };
            let holds = match predicate {
                Predicate::Below(_) => value < *bound,
                _ => value > *bound,
            };
            if holds { Ok(()) } else { fail(format!("{subject} ends at {}", format_number(value))) }
        }
        Predicate::Diverges => {
            let r = run(&runs, &subject)?;
            if r.diverged { Ok(()) } else { fail(format!("{} ends at {}", r.name, format_number(last(r)?))) }
        }
        Predicate::Converges => {
            let r = run(&runs, &subject)?;
            match converges(r) {
                true => Ok(()),
                false if r.diverged => fail(format!("{} diverges", r.name)),
                false => fail(format!(
                    "{} goes from {} to {}, not a hundredth of where it started",
                    r.name,
                    format_number(r.values.first().copied().unwrap_or(f64::NAN)),
                    format_number(last(r)?)
                )),
            }
        }
        Predicate::ZigZags => {
            let r = run(&runs, &subject)?;
            if zigzags(r) { Ok(()) } else { fail(format!("{}'s steps do not change direction back and forth", r.name)) }
        }
        Predicate::AheadOf(other) => {
            let (a, b) = (run(&runs, &subject)?, run(&runs, other)?);
            let ahead = !a.diverged && (b.diverged || last(a)? < last(b)?);
            if ahead {
                Ok(())
            } else {
                fail(format!(
                    "{} ends at {}, {} at {}",
                    a.name,
                    format_number(last(a)?),
                    b.name,
                    format_number(last(b)?)
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_read_their_subject_and_predicate() {
        assert_eq!(read("sgd 0.11 diverges").unwrap(), ("sgd 0.11".into(), Predicate::Diverges));
        assert_eq!(read("held-out accuracy above 95%").unwrap(), ("held-out accuracy".into(), Predicate::Above(0.95)));
        assert_eq!(read("momentum ahead of sgd").unwrap(), ("momentum".into(), Predicate::AheadOf("sgd".into())));
        assert_eq!(read("∂f/∂w = 0.125").unwrap(), ("∂f/∂w".into(), Predicate::Equals("0.125".into())));
        assert!(read("sgd is nice").is_err());
        assert!(same_number(0.12499, "0.125").unwrap());
        assert!(!same_number(0.126, "0.125").unwrap());
        // Scientific notation is judged like any number: at its last digit, times its exponent.
        assert!(!same_number(0.0, "3.0e-5").unwrap());
        assert!(same_number(3.04e-5, "3.0e-5").unwrap());
        assert!(!same_number(3.06e-5, "3.0e-5").unwrap());
        assert!(same_number(-2.5e10, "−2.5E10").unwrap());
        assert!(!same_number(0.0, "1e-300").unwrap());
    }
}
