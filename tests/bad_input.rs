//! Every kind of bad input: a clear message that points at the place (source:line:column and
//! a caret), exit status 2, and never a panic.

use crate::common::run;

/// (arguments, standard input, message fragment, location fragment or "" for none)
const CASES: &[(&[&str], &str, &str, &str)] = &[
    (&["derive", "sigmod(w*x+b)"], "", "unknown function `sigmod`", "expression:1:1"),
    (&["derive", "sigmod(w*x+b)"], "", "did you mean `sigmoid`?", ""),
    (&["derive", "tanhh(x)"], "", "did you mean `tanh`?", "expression:1:1"),
    (&["derive", "max(x)"], "", "`max` takes 2 arguments, found 1", "expression:1:1"),
    (&["derive", "exp(x, y)"], "", "`exp` takes 1 argument, found 2", "expression:1:1"),
    (&["derive", "sigmoid(w*x+b"], "", "expected an operator, `,` or `)`", "expression:1:14"),
    (&["derive", "x + * y"], "", "unexpected `*`; expected a number, a name or `(`", "expression:1:5"),
    (&["derive", "x $ y"], "", "unexpected character `$`", "expression:1:3"),
    (&["derive", "(x + y"], "", "expected an operator, `,` or `)`", "expression:1:7"),
    (&["derive", "[x > ]"], "", "unexpected `]`", "expression:1:6"),
    (&["derive", "x +"], "", "unexpected end of input", "expression:1:4"),
    (&["derive", "z = w*x\na = σ(z +)"], "", "unexpected `)`", "expression:2:10"),
    (&["derive", ""], "", "empty input", ""),
    (&["derive", "# only a comment"], "", "empty input", ""),
    (&["derive", "2*1e999"], "", "number too large", "expression:1:3"),
    (&["derive", "exp"], "", "`exp` is a function", "expression:1:1"),
    (&["derive", "x÷0÷0"], "", "division by zero", "expression:1:3"),
    (&["derive", "x + 0^-2"], "", "zero to a negative power", "expression:1:5"),
    (&["derive", "a = 1; a = 2"], "", "`a` is defined twice", "expression:1:8"),
    (&["derive", "y = 2*z; z = 3"], "", "`z` is used as a variable before this definition", "expression:1:10"),
    (&["derive", "sigmoid = x"], "", "`sigmoid` is a function and cannot be assigned", "expression:1:1"),
    (&["derive", "x + 1; y"], "", "only the last statement can be a bare expression", "expression:1:1"),
    (&["derive", "x*y", "--at", "x=1"], "", "--at gives no value for the variable y", "--at:1:4"),
    (&["derive", "x*y", "--at", "x=1,y=2,q="], "", "missing value after `=`", "--at:1:11"),
    (&["derive", "z = 2*x; z", "--at", "x=1,z=2"], "", "`z` is a named intermediate, not a variable", "--at:1:5"),
    (&["derive", "x*y", "--at", "x=1,y=abc"], "", "a value must be a number, not the name `abc`", "--at:1:7"),
    (&["derive", "x*y", "--at", "x=1,y=2+"], "", "unexpected end of input", "--at:1:9"),
    (&["derive", "x*y", "--at", "x=1,y"], "", "`y` has no value", "--at:1:5"),
    (&["derive", "x*y", "--at", "x=1,x=2,y=3"], "", "`x` is given twice", "--at:1:5"),
    (&["derive", "x*y", "--at", "x=1,,y=2"], "", "empty item in --at", "--at:1:5"),
    (&["derive", "x", "--at", "x=1e999"], "", "number too large", "--at:1:3"),
    (&["derive", "x", "--at", "x=log(0)"], "", "the value is not a number", "--at:1:3"),
    (&["derive", "x*y", "--wrt", "q"], "", "`q` is not a variable or named intermediate", "--wrt:1:1"),
    (&["derive", "x*y", "--wrt", "x,,y"], "", "empty name in --wrt", "--wrt:1:3"),
    (&["derive", "log(x)", "--at", "x=0"], "", "`log(x)` takes the log of 0, which is not positive", "expression:1:1"),
    (&["derive", "2 + log(1 - p)", "--at", "p=1"], "", "`log(1 − p)` takes the log of 0", "expression:1:5"),
    (&["derive", "1/x", "--at", "x=0"], "", "divides by zero", "expression:1:1"),
    (&["derive", "sqrt(x)", "--at", "x=-2"], "", "takes the square root of −2, which is negative", "expression:1:1"),
    (&["derive", "sqrt(x)", "--at", "x=0"], "", "has no finite derivative", "expression:1:1"),
    (&["derive", "x^0.5", "--at", "x=-1"], "", "non-integer power", "expression:1:1"),
    (&["derive", "exp(exp(exp(1000*x)))", "--at", "x=1"], "", "`exp(1000·x)` overflows", "expression:1:9"),
    (&["derive", "@/nonexistent/expression.txt"], "", "cannot read `/nonexistent/expression.txt`", ""),
    (&["derive", "-"], "sigmoid(w*x+\n", "unexpected end of line", "stdin:1:13"),
    (&["derive", "x", "--format", "yaml"], "", "invalid value 'yaml'", ""),
    (&["derive"], "", "required arguments were not provided", ""),
    (&["frobnicate"], "", "unrecognized subcommand", ""),
];

#[test]
fn every_bad_input_is_reported_with_a_position_and_status_2() {
    for (args, stdin, message, location) in CASES {
        let out = run(args, stdin);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: status; stderr:\n{stderr}");
        assert!(stderr.contains(message), "{args:?}: expected {message:?} in:\n{stderr}");
        assert!(stderr.contains(location), "{args:?}: expected {location:?} in:\n{stderr}");
        if !location.is_empty() {
            assert!(stderr.contains('^'), "{args:?}: no caret in:\n{stderr}");
        }
        assert!(!stderr.contains("panicked"), "{args:?}: panicked:\n{stderr}");
        assert!(out.stdout.is_empty(), "{args:?}: printed a result as well");
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!("{}x{}", "(".repeat(100_000), ")".repeat(100_000));
    let out = run(&["derive", "-"], &deep);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("parentheses nest too deeply (more than 256 levels)"), "{stderr}");
    assert!(stderr.contains("stdin:1:257"), "{stderr}");
    // The line shown is a window around the caret, not 200,000 characters.
    assert!(stderr.len() < 1000, "{} bytes of error", stderr.len());

    let calls = format!("{}x{}", "sin(".repeat(5000), ")".repeat(5000));
    let out = run(&["derive", "-"], &calls);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn long_operator_chains_are_fine() {
    // Chains do not recurse: 20,000 terms parse and differentiate, and so does a tower of powers
    // as high as nesting allows (a^b^c is a^(b^c): each ^ is a level); a higher one is an error
    // at its 257th exponent, not a stack overflow (in the browser's .wasm it was one).
    let sum = (0..20_000).map(|i| format!("x{i}")).collect::<Vec<_>>().join(" + ");
    let out = run(&["derive", "-", "--wrt", "x0", "--format", "json"], &sum);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let tower = vec!["x"; 257].join("^");
    let out = run(&["derive", "-"], &tower);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&["derive", "-"], &vec!["x"; 5000].join("^"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("powers nest too deeply (more than 256 levels)"), "{stderr}");
    assert!(stderr.contains("stdin:1:515"), "{stderr}");
}

#[test]
fn error_messages_read_well() {
    let mut all = String::new();
    for args in [
        &["derive", "sigmod(w*x + b)"][..],
        &["derive", "sigmoid(w*x + b"],
        &["derive", "z = w*x + b\na = sigmoid(z +)\nL = (a - y)^2"],
        &["derive", "x*y", "--at", "x=1"],
        &["derive", "-(y*log(p) + (1-y)*log(1-p))", "--at", "y=1,p=1"],
    ] {
        let out = run(args, "");
        all.push_str(&format!("$ backprop {}\n{}\n", args.join(" "), String::from_utf8_lossy(&out.stderr)));
    }
    insta::assert_snapshot!("error_messages", all);
}

/// Every command that reads an expression, against every malformed expression: status 2, a
/// position, a caret, no panic.
#[test]
fn every_expression_command_rejects_every_malformed_expression() {
    const MALFORMED: &[(&str, &str)] = &[
        ("sigmod(x)", "expression:1:1"),
        ("x + * y", "expression:1:5"),
        ("(x + 1", "expression:1:7"),
        ("max(x)", "expression:1:1"),
        ("x $ 2", "expression:1:3"),
        ("2*1e999*x", "expression:1:3"),
        ("exp + x", "expression:1:1"),
        ("a = 1; a = x", "expression:1:8"),
        ("[x > ]", "expression:1:6"),
        ("x^", "expression:1:3"),
    ];
    let commands: &[&[&str]] = &[
        &["derive"],
        &["derive", "--steps"],
        &["grad", "--at", "x=1"],
        &["graph"],
        &["graph", "--format", "dot"],
        &["plot", "function"],
    ];
    for (expression, location) in MALFORMED {
        for command in commands {
            let mut args: Vec<&str> = command.to_vec();
            let at = if command[0] == "plot" { 2 } else { 1 };
            args.insert(at, expression);
            let out = run(&args, "");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?}\n{stderr}");
            assert!(stderr.contains(location) && stderr.contains('^'), "{args:?}: expected {location} in\n{stderr}");
            assert!(!stderr.contains("panicked"), "{args:?}");
        }
    }
    // The other inputs: a network file, a sheet, a plot's point.
    for args in [
        &["plot", "descent", "x^2 + y^2", "--start", "x=1,q=2"][..],
        &["plot", "descent", "x^2 + y^2", "--start", "x=1,y=2", "--optimizer", "sgdd"],
        &["plot", "function", "x*y"],
        &["plot", "boundary", "examples/networks/keras-784.net"],
        &["net", "tests/data/networks/bad-csv.net", "train"],
        &["check", "examples/networks/two-layer.net"],
    ] {
        let out = run(args, "");
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}\n{}",
            String::from_utf8_lossy(&out.stderr) + String::from_utf8_lossy(&out.stdout)
        );
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"), "{args:?}");
    }
}
