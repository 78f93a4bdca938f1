//! Variants as Moodle XML (Moodle's own import format): a category per variant, and in it a
//! numerical question per check. Moodle's tolerance is one absolute width, so the tolerance
//! rule is written as half a unit of the last significant digit the sheet asks for (±0.005 for
//! −0.27 with 2 digits). What Moodle cannot express: that the digits written must be right
//! (it accepts −0.263 for −0.266), the diagnosis of a wrong answer, and credit for an error
//! carried forward — `backprop check` does all three.

use crate::exercise::variants::{KeyAnswer, Variant};

/// The quiz: every variant's questions.
pub fn questions(file_name: &str, seed: u64, variants: &[Variant]) -> String {
    let width = variants.len().to_string().len();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n");
    for v in variants {
        let category = format!("$course$/backprop/{file_name} (seed {seed})/variant {:0width$}", v.number);
        out.push_str(&format!(
            "  <question type=\"category\">\n    <category><text>{}</text></category>\n  </question>\n",
            escape(&category)
        ));
        for a in &v.answers {
            out.push_str(&question(v.number, width, a));
        }
    }
    out.push_str("</quiz>\n");
    out
}

fn question(variant: usize, width: usize, a: &KeyAnswer) -> String {
    let value = ascii(&crate::format::format_number(a.value));
    let text = format!(
        "<p>{}</p><pre>{}</pre><p>{} = ?</p><p>Give at least {} significant digits.</p>",
        escape(&a.exercise),
        escape(&a.context),
        escape(&a.target),
        a.digits
    );
    format!(
        "  <question type=\"numerical\">\n\
         \x20   <name><text>{}</text></name>\n\
         \x20   <questiontext format=\"html\"><text><![CDATA[{}]]></text></questiontext>\n\
         \x20   <defaultgrade>{}</defaultgrade>\n\
         \x20   <penalty>0</penalty>\n\
         \x20   <answer fraction=\"100\">\n\
         \x20     <text>{value}</text>\n\
         \x20     <tolerance>{}</tolerance>\n\
         \x20     <feedback format=\"html\"><text><![CDATA[<p>The right value is {value}.</p>]]></text></feedback>\n\
         \x20   </answer>\n\
         \x20   <unitgradingtype>0</unitgradingtype>\n\
         \x20   <showunits>3</showunits>\n\
         \x20 </question>\n",
        escape(&format!("variant {variant:0width$} · {} · {}", a.exercise, a.target)),
        text.replace("]]>", "]]&gt;"),
        ascii(&crate::format::format_number(a.marks)),
        ascii(&crate::format::format_number(tolerance(a.value, a.digits)))
    )
}

/// Half a unit of the `digits`-th significant digit of `value`.
pub fn tolerance(value: f64, digits: u32) -> f64 {
    let lead = crate::math::log10(value.abs()).floor() as i32;
    let last = lead - digits as i32 + 1;
    0.5 * format!("1e{last}").parse::<f64>().unwrap_or(0.0)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn ascii(text: &str) -> String {
    text.replace('−', "-")
}

#[cfg(test)]
mod tests {
    use super::tolerance;

    #[test]
    fn half_a_unit_of_the_last_asked_digit() {
        assert_eq!(tolerance(-0.266, 2), 0.005);
        assert_eq!(tolerance(1236.45, 2), 50.0);
        assert_eq!(tolerance(0.000438, 3), 0.0000005);
    }
}
