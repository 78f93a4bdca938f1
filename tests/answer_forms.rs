//! Trust, round three: every form a student writes is read, near misses say what the rule
//! wanted, marks a teacher can use, and one δ everywhere. The right values are worked out here
//! (by hand or with the formulas noted beside them), never taken from the tool.

use crate::common::{backprop, temp_dir};
use backprop::files::FileSystem;
use backprop_engine::commands::check::{SheetInput, check};
use backprop_engine::exercise::Outcome;
use backprop_engine::lang::Lang;

/// A verdict as the English report says it.
#[derive(Debug)]
struct Verdict {
    outcome: Outcome,
    mistake: Option<String>,
    feedback: String,
    notes: Vec<String>,
    error: Option<backprop_engine::error::Error>,
    earned: f64,
}

impl Verdict {
    fn earned(&self) -> f64 {
        self.earned
    }
}

/// Every verdict of a sheet, judged in-process (network files relative to `dir`).
fn verdicts(sheet: &str, dir: &str) -> Vec<Verdict> {
    let report = check(
        vec![SheetInput { name: "s.txt".into(), text: sheet.into(), base: dir.into() }],
        false,
        Lang::En,
        &FileSystem,
    );
    let checks = report.sheets.into_iter().flat_map(|s| s.exercises).flat_map(|e| e.checks);
    checks
        .map(|c| Verdict {
            outcome: c.outcome.clone(),
            mistake: c.mistake.as_ref().map(|m| m.english()),
            feedback: c.feedback.english(),
            notes: c.notes.iter().map(|n| n.english()).collect(),
            earned: c.earned(),
            error: c.error,
        })
        .collect()
}

fn outcomes(v: &[Verdict]) -> Vec<Outcome> {
    v.iter().map(|c| c.outcome.clone()).collect()
}

#[test]
fn numbers_are_read_as_students_write_them() {
    // f = w·x at w = −0.26595, x = 1 is −0.26595; g = 0.21729·x is 0.21729.
    let sheet = "exercise \"forms\"\nf = w*x\ng = 0.21729*x\nat w = -0.26595, x = 1\n\
                 check f = - 0.27\ncheck f = −  0.266\ncheck f = -2.66*10^-1\ncheck g = 2.173*10^-1\n\
                 check g = 2.173×10^(-1)\ncheck g = 2.173 · 10⁻¹\ncheck g = 2.17 * 10**-1\ncheck f = 0.27\n";
    let v = verdicts(sheet, ".");
    assert_eq!(outcomes(&v)[..7].to_vec(), vec![Outcome::Right; 7], "{v:#?}");
    assert_eq!(v[7].outcome, Outcome::Wrong, "the sign counts");
    assert_eq!(v[7].mistake.as_deref(), Some("sign flip"));
}

#[test]
fn tiny_values_keep_their_sign_and_size() {
    // f = 1e-13·x² at x = 1: df/dx = 2e-13.
    let sheet = "exercise \"tiny\"\nf = 1e-13*x^2\nat x = 1\ncheck df/dx = -5e-13\ncheck df/dx = 2.0e-13\n\
                 check df/dx = 0\ncheck df/dx = 2e-13*x\ncheck df/dx = -5e-13*x\n";
    let v = verdicts(sheet, ".");
    assert_eq!(outcomes(&v), [Outcome::Wrong, Outcome::Right, Outcome::Wrong, Outcome::Right, Outcome::Wrong]);
}

#[test]
fn euler_pi_fractions_and_updates_are_read() {
    // a = σ(z), L = (a − y)²/2: ∂L/∂z = (a − y)·σ′(z), and σ′(z) = e^(−z)/(1 + e^(−z))².
    let sheet = "exercise \"e\"\nz = w*x + b\na = sigmoid(z)\nL = (a - y)^2/2\nat w = 0.5, x = 1.5, b = 0.1, y = 1\n\
                 check dL/dz = (a - y)*e^(-z)/(1 + e^(-z))^2\n\
                 exercise \"step\"\nlr 0.1\nE = (w*x + b - y)^2/2\nat w = 0.5, x = 2, b = 0, y = 3\n\
                 check new w = w - 0.1*(w*x + b - y)*x\ncheck new w = w - (w*x + b - y)*x\ncheck new b = 0.2\n\
                 check new b = b - 0.1*(w*x + b - y)\ncheck new b = b + 0.1*(w*x + b - y)\n";
    let v = verdicts(sheet, ".");
    assert_eq!(v[0].outcome, Outcome::Right, "{:?}", v[0]);
    assert!(v[0].notes[0].contains("Euler's number"), "{:?}", v[0].notes);
    assert_eq!(v[1].outcome, Outcome::Right, "{:?}", v[1]);
    assert_eq!(v[2].mistake.as_deref(), Some("forgot the learning rate"), "{:?}", v[2]);
    // new b = 0 − 0.1·(1 − 3) = 0.2
    assert_eq!(v[3].outcome, Outcome::Right);
    assert_eq!(v[4].outcome, Outcome::Right);
    assert_eq!(v[5].mistake.as_deref(), Some("moved up the gradient"));
    assert!(v[5].feedback.contains("α·∂E/∂b from b"), "the student's variable: {}", v[5].feedback);
}

#[test]
fn network_answers_may_be_exact_fractions() {
    let dir = temp_dir("answer-forms-net");
    std::fs::copy("examples/networks/batch-two.net", dir.join("b.net")).unwrap();
    // One weight 0.5, samples (1 → 2) and (2 → 3): δ = (0.5 − 2, 1 − 3) = (−1.5, −2);
    // ∂E/∂W = mean(δ·x) = (−1.5 − 4)/2 = −11/4.
    let sheet = "exercise \"fractions\"\nnetwork \"b.net\"\ncheck dE/dW1[0][0] = -11/4\ncheck dE/dW1[0][0] = -2.75\n\
                 check δ1[0] = -3/2\ncheck δ1[0] of sample 2 = -2\ncheck z1[0] of sample 2 = 1\n\
                 check dE/dW1[0][0] = -11/2\ncheck δ1[0] of sample 3 = 1\ncheck dE/dW1[0][0] = W1 - 1\n";
    let v = verdicts(sheet, dir.to_str().unwrap());
    assert_eq!(outcomes(&v)[..5].to_vec(), vec![Outcome::Right; 5], "{v:#?}");
    assert_eq!(v[5].mistake.as_deref(), Some("dropped constant factor 1/m"));
    assert_eq!(v[6].outcome, Outcome::NotJudged);
    assert!(v[6].feedback.contains("the first batch has 2 samples"), "{}", v[6].feedback);
    assert_eq!(v[7].outcome, Outcome::NotJudged);
    assert!(v[7].feedback.contains("a network answer is a number"), "{}", v[7].feedback);
}

#[test]
fn a_near_miss_says_what_the_rule_wanted() {
    let sheet = "exercise \"digits\"\nf = 1236.45*x\nat x = 1\ncheck f = 1200\ncheck f = 1.2e3\n";
    let v = verdicts(sheet, ".");
    assert_eq!(v[0].outcome, Outcome::Wrong);
    for part in ["written to the units (4 significant digits)", "the right value is 1236", "1.2e3"] {
        assert!(v[0].feedback.contains(part), "{part}: {}", v[0].feedback);
    }
    assert_eq!(v[1].outcome, Outcome::Right);
}

#[test]
fn habits_from_other_notations_get_a_hint() {
    let sheet = "exercise \"habits\"\nz = w*x + b\nf = sigmoid(z)\nat w = 1, x = 2, b = 0\n\
                 check df/dw = np.exp(x)\ncheck df/dw = sin x\ncheck df/dw = |x|\ncheck df/dw = sigmoid(wx+b)\n";
    let v = verdicts(sheet, ".");
    let labels: Vec<String> = v.iter().map(|c| c.error.as_ref().unwrap().label.clone().unwrap_or_default()).collect();
    assert!(labels[0].contains("drop `np.`"), "{}", labels[0]);
    assert!(labels[1].contains("write sin(x)"), "{}", labels[1]);
    assert!(labels[2].contains("abs(x)"), "{}", labels[2]);
    assert!(labels[3].contains("did you mean w*x?"), "{}", labels[3]);
    let out = backprop(&["derive", "sigmoid(wx+b)"]);
    assert!(out.stderr.contains("`wx` is read as one name: for a product write w*x"), "{}", out.stderr);
    let out = backprop(&["derive", "sin x"]);
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("write sin(x)"), "{}", out.stderr);
}

#[test]
fn a_one_hot_target_is_data() {
    // Softmax with cross-entropy written out: ∂L/∂s1 = p1 − y1 for a one-hot y.
    let sheet = "exercise \"softmax\"\np1 = exp(s1)/(exp(s1) + exp(s2))\np2 = exp(s2)/(exp(s1) + exp(s2))\n\
                 L = -(y1*log(p1) + y2*log(p2))\nat s1 = 0.5, s2 = -0.3, y1 = 1, y2 = 0\n\
                 check dL/ds1 = p1 - y1\ncheck dL/ds1 = p1\ncheck dL/ds1 = 0.6900\ncheck dL/ds1 = -0.3100\n";
    let v = verdicts(sheet, ".");
    assert_eq!(v[0].outcome, Outcome::Right, "{:?}", v[0]);
    assert!(v[0].notes[0].contains("one-hot target y1 = 1, y2 = 0"), "{:?}", v[0].notes);
    assert_eq!(v[1].outcome, Outcome::Wrong);
    // p1 = e^0.5/(e^0.5 + e^-0.3) = 0.68997…
    assert_eq!(v[2].mistake.as_deref(), Some("δ = p instead of p − y"), "{:?}", v[2]);
    assert_eq!(v[3].outcome, Outcome::Right);
}

#[test]
fn marks_and_carried_credit() {
    // z = 0.5·1.5 + 0.1 = 0.85. The student writes z = 0.95 and carries it on correctly:
    // a = σ(0.95) = 0.72112, ∂L/∂a = a − y = −0.27888.
    let sheet = "carried 50%\nexercise \"carried\"\nz = w*x + b\na = sigmoid(z)\nL = (a - y)^2/2\n\
                 at w = 0.5, x = 1.5, b = 0.1, y = 1\nmarks 2\ncheck z = 0.95\ncheck a = 0.721\nmarks 3\n\
                 check dL/da = -0.279\ncheck dL/dz = (a - y)*a*(1 - a)\ncheck dL/dw = 0.5\n";
    let v = verdicts(sheet, ".");
    let earned: Vec<f64> = v.iter().map(Verdict::earned).collect();
    assert_eq!(earned, [0.0, 1.0, 1.5, 3.0, 0.0]);
    let dir = temp_dir("answer-forms-marks");
    std::fs::write(dir.join("m.txt"), sheet).unwrap();
    let path = dir.join("m.txt");
    let out = backprop(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status, 1, "wrong answers keep the exit status");
    assert!(out.stdout.contains("✗ line 9  a = 0.721   [1 of 2]"), "{}", out.stdout);
    assert!(out.stdout.contains("1 of 5 right, 4 wrong; 5.5 of 13 marks"), "{}", out.stdout);
    let json = backprop(&["check", path.to_str().unwrap(), "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["marks"], 5.5);
    assert_eq!(value["out_of"], 13.0);
    assert_eq!(value["sheets"][0]["exercises"][0]["checks"][2]["marks"], 1.5);
    assert_eq!(value["sheets"][0]["exercises"][0]["checks"][2]["carried"], true);
    // Without marking lines the text is as before, and JSON counts one mark a check.
    let plain = "exercise \"p\"\nf = x\nat x = 1\ncheck f = 1\n";
    std::fs::write(dir.join("p.txt"), plain).unwrap();
    let out = backprop(&["check", dir.join("p.txt").to_str().unwrap()]);
    assert!(!out.stdout.contains("[1 of 1]") && !out.stdout.contains("of 1 marks"), "{}", out.stdout);
    let bad = "exercise \"p\"\nf = x\nat x = 1\nmarks 0\ncarried 150%\nmarks two\ncheck f = 1\n";
    std::fs::write(dir.join("bad.txt"), bad).unwrap();
    let out = backprop(&["check", dir.join("bad.txt").to_str().unwrap()]);
    assert_eq!(out.status, 2);
    for (line, part) in [(4, "`marks` takes a number above 0"), (5, "`carried` takes a share"), (6, "marks N")] {
        assert!(out.stdout.contains(&format!("bad.txt:{line}:")), "line {line}: {}", out.stdout);
        assert!(out.stdout.contains(part), "{part}: {}", out.stdout);
    }
}

#[test]
fn delta_is_one_samples_everywhere() {
    // batch-two.net: δ of each sample = a − t = (0.5 − 2, 1 − 3) = (−1.5, −2).
    let out = backprop(&["net", "examples/networks/batch-two.net", "grad", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(value["layers"][0]["delta"], serde_json::json!([[-1.5], [-2.0]]));
    assert_eq!(value["gradients"]["W1"], serde_json::json!([[-2.75]]));
}
