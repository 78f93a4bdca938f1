//! One test per finding of the second hostile-input review: each input is answered (status 0,
//! 1 for a wrong sheet, or 2 with a message at its place), small, and nothing wrong passes.

use crate::common::{run, run_with};

fn statements(first: &str, each: impl Fn(usize) -> String, n: usize) -> String {
    std::iter::once(first.to_string()).chain((1..=n).map(each)).collect::<Vec<_>>().join("\n")
}

/// Every command on a program: answered, and at most `limit` bytes.
fn small_everywhere(program: &str, at: &str, limit: usize) {
    for args in [
        vec!["derive", program],
        vec!["derive", program, "--steps"],
        vec!["grad", program, "--at", at],
        vec!["graph", program, "--at", at],
    ] {
        let out = run_with(&args, &[]);
        assert!(out.status == 0 || out.status == 2, "{:?}: status {}: {}", args[0], out.status, out.stderr);
        let size = out.stdout.len() + out.stderr.len();
        assert!(size <= limit, "{} {:?}: {size} bytes", args[0], &args[2..]);
    }
}

#[test]
fn statement_chains_stay_linear() {
    // a₂ = a₁·a₁, …: 28 lines once aborted allocating 2 GB.
    small_everywhere(&statements("a1 = x*x", |i| format!("a{} = a{i}*a{i}", i + 1), 28), "x=1.0001", 200_000);
    // aₖ = aₖ₋₁·wₖ: 1,000 lines were 6 MB.
    let chain = statements("a0 = x", |i| format!("a{i} = a{}*w{i}", i - 1), 1000);
    let out = run_with(&["derive", &chain], &[]);
    assert_eq!(out.status, 0);
    assert!(out.stdout.len() < 1_000_000, "{} bytes", out.stdout.len());
    // Cubic once: aₖ = max(aₖ₋₁, y)·aₖ₋₁.
    small_everywhere(
        &statements("a0 = x", |i| format!("a{i} = max(a{}, y)*a{}", i - 1, i - 1), 200),
        "x=0.5,y=0.5",
        2_000_000,
    );
    // Chains of functions.
    for f in ["exp", "sin", "sigmoid"] {
        let chain = statements("a0 = x", |i| format!("a{i} = {f}(a{})", i - 1), 2000);
        let out = run_with(&["derive", &chain, "--at", "x=0.1"], &[]);
        assert!(out.status == 0 || out.status == 2, "{f}: {}", out.stderr);
        assert!(out.stdout.len() < 2_000_000, "{f}: {} bytes", out.stdout.len());
    }
}

#[test]
fn long_products_towers_and_sums_stay_linear() {
    let product = (0..1000).map(|i| format!("x{i}")).collect::<Vec<_>>().join("*");
    let out = run_with(&["derive", &product], &[]);
    assert_eq!(out.status, 0);
    assert!(out.stdout.len() < 1_000_000, "a product of 1,000 factors: {} bytes", out.stdout.len());
    // The tower's printed derivative grew quadratically (1,000 levels: 7.8 MB); now a tower
    // nests at most 256 levels, and 1,000 is an error.
    let tower = vec!["x"; 256].join("^");
    let out = run_with(&["derive", &tower, "--at", "x=1.0001"], &[]);
    assert!(out.status == 0 || out.status == 2);
    assert!(out.stdout.len() < 1_500_000, "a tower of 1,000: {} bytes", out.stdout.len());
    // exp(P) + P.
    let p = (0..300).map(|i| format!("x{i}")).collect::<Vec<_>>().join("*");
    small_everywhere(
        &format!("exp({p}) + {p}"),
        &(0..300).map(|i| format!("x{i}=1")).collect::<Vec<_>>().join(","),
        1_000_000,
    );
}

#[test]
fn the_grad_table_is_not_padded_to_its_widest_cell() {
    let n = 1000;
    let sum = (0..n).map(|i| format!("a{i}*b{i}")).collect::<Vec<_>>().join(" + ");
    let at = (0..n).map(|i| format!("a{i}=1,b{i}=2")).collect::<Vec<_>>().join(",");
    let out = run_with(&["grad", &sum, "--at", &at], &[]);
    assert_eq!(out.status, 0);
    // The last row holds the whole sum; the other rows stay short.
    let rows: Vec<&str> = out.stdout.lines().filter(|l| l.starts_with(|c: char| c.is_ascii_digit())).collect();
    assert_eq!(rows.len(), 3 * n + 1);
    let longest_but_one = rows[..rows.len() - 1].iter().map(|r| r.len()).max().unwrap();
    assert!(out.stdout.len() < 2_000_000, "{} bytes", out.stdout.len());
    assert!(longest_but_one < 200, "rows are padded: {longest_but_one} bytes");
    // Forward mode only when asked: the reverse table has no tangent columns.
    assert!(!out.stdout.contains("d·/d"));
}

#[test]
fn large_pictures_are_drawn_in_columns() {
    let horner = (1..=100).fold("c0".to_string(), |e, i| format!("({e})*x + c{i}"));
    let chain = statements("a0 = x", |i| format!("a{i} = sin(a{})", i - 1), 100);
    let squares = statements("a1 = x*x", |i| format!("a{} = a{i}*a{i}", i + 1), 56);
    let sum = (0..5000).map(|i| format!("x{i}")).collect::<Vec<_>>().join(" + ");
    for program in [&horner, &chain, &squares, &sum] {
        let out = run_with(&["graph", program], &[]);
        assert_eq!(out.status, 0, "{}", out.stderr);
        assert!(out.stdout.contains("drawn in columns by depth"), "the notice is missing");
        assert!(out.stdout.len() < 3 * program.len() * 100, "{} bytes", out.stdout.len());
    }
    // Small circuits keep the full layout.
    let out = run_with(&["graph", "(x + y)*z"], &[]);
    assert!(!out.stdout.contains("drawn in columns"));
}

#[test]
fn plots_of_huge_values_finish() {
    for f in ["x*1e308", "x*9e307", "sign(x)*1e308"] {
        let out = run_with(&["plot", "function", f, "--from", "-1", "--to", "1"], &[]);
        assert_eq!(out.status, 0, "{f}: {}", out.stderr);
        assert!(out.stdout.contains("× 1e"), "{f}: the axis names its scale");
    }
    let out = run_with(&["plot", "function", "x", "--from", "-1e308", "--to", "1e308"], &[]);
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("too wide"), "{}", out.stderr);
}

#[test]
fn network_sizes_are_checked_before_anything_is_allocated() {
    let generator =
        "network \"g\"\ninput 2\ndense 2 sigmoid\ndense 1 sigmoid\nloss bce\ndata logistic 10000000 inputs 100000\n";
    let out = run_with(&["net", "g.net"], &[("g.net", generator)]);
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("g.net:6:"), "{}", out.stderr);
    // Inline data lines are read in linear time (10,000 took 18 s).
    let data: Vec<String> = (0..10_000).map(|i| format!("data x = [{}, 1]  target = [{}]", i % 3, i % 2)).collect();
    let file = format!("network \"n\"\ninput 2\ndense 2 sigmoid\ndense 1 sigmoid\nloss bce\n{}\n", data.join("\n"));
    let out = run_with(&["net", "n.net", "describe"], &[("n.net", &file)]);
    assert_eq!(out.status, 0, "{}", out.stderr);
}

#[test]
fn a_large_gradient_check_spends_a_budget_and_tensors_are_summarised() {
    // 2·300 + 300 + … ≈ 180,000 parameters: the difference check samples, tensors summarise.
    let x = vec!["0.5"; 600].join(", ");
    let file = format!(
        "network \"big\"\ninput 600\ndense 300 relu\ndense 2 softmax\nloss cross_entropy\ndata x = [{x}]  target = [1, 0]\n"
    );
    for (args, limit) in
        [(vec!["net", "b.net", "grad"], 10_000), (vec!["net", "b.net", "grad", "--format", "json"], 200_000)]
    {
        let out = run_with(&args, &[("b.net", &file)]);
        assert_eq!(out.status, 0, "{}", out.stderr);
        assert!(out.stdout.len() < limit, "{:?}: {} bytes", args, out.stdout.len());
    }
    let out = run_with(&["net", "b.net", "grad", "--table"], &[("b.net", &file)]);
    assert!(out.stdout.contains("(not shown: the table has a row per unit and per weight"), "{}", out.stdout);
}

#[test]
fn sheets_are_judged_in_linear_time_and_size() {
    let checks =
        format!("exercise \"many\"\nf = x*y\nat x = 2, y = 3\n{}\n", vec!["check df/dx = 3"; 30_000].join("\n"));
    let out = run_with(&["check", "s.txt"], &[("s.txt", &checks)]);
    assert_eq!(out.status, 0);
    let tower = format!("exercise \"tower\"\nf = {}\nat x = 1.0001\ncheck df/dx = 1\n", vec!["x"; 250].join("^"));
    let out = run_with(&["check", "s.txt", "--hints"], &[("s.txt", &tower)]);
    assert_eq!(out.status, 1, "a wrong answer: {}", out.stderr);
    assert!(out.stdout.len() < 5_000, "{} bytes", out.stdout.len());
}

#[cfg(target_os = "linux")]
#[test]
fn endless_files_are_read_up_to_the_cap() {
    for args in [vec!["derive", "@/dev/zero"], vec!["net", "/dev/zero"], vec!["check", "/dev/zero"]] {
        let out = run(&args, "");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("larger than 16 MiB"), "{args:?}");
    }
}
