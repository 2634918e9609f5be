use super::*;

fn run_str(req: &str) -> String {
    parse_request(req.as_bytes())
}

fn ok(req: &str) -> Value {
    let out = run_str(req);
    let v = json::read(&out).unwrap_or_else(|_| panic!("invalid JSON output {out}"));
    assert!(v.get("error").is_none(), "unexpected error for {req}: {out}");
    v
}

fn clue(c: &str) -> Value {
    ok(&format!("{{\"clue\":{}}}", json::quote(c)))
}

fn err(req: &str) -> (String, String) {
    let out = run_str(req);
    match json::read(&out) {
        Ok(v) => {
            let e = v.get("error").unwrap_or_else(|| panic!("expected an error for {req}, got {out}"));
            if let Value::Object(m) = &v {
                assert_eq!(m.len(), 1, "error object must be alone: {out}");
            }
            match (e.get("field"), e.get("detail")) {
                (Some(Value::String(f)), Some(Value::String(d))) => (f.clone(), d.clone()),
                _ => panic!("bad error shape {out}"),
            }
        }
        Err(_) => panic!("invalid JSON output {out}"),
    }
}

fn assert_err(req: &str, field: &str, detail: &str) {
    assert_eq!(err(req), (field.to_string(), detail.to_string()), "request {req}");
}

fn s(v: &Value, k: &str) -> String {
    match v.get(k) {
        Some(Value::String(s)) => s.clone(),
        other => panic!("{k} not a string: {other:?}"),
    }
}

fn ints(v: &Value, k: &str) -> Vec<i64> {
    match v.get(k) {
        Some(Value::Array(items)) => items.iter().map(|i| i.as_i64().expect("int")).collect(),
        other => panic!("{k} not an array: {other:?}"),
    }
}

fn int(v: &Value, k: &str) -> Option<i64> {
    match v.get(k) {
        Some(Value::Null) => None,
        Some(n) => Some(n.as_i64().expect("int")),
        None => panic!("{k} missing"),
    }
}

fn strs(v: &Value, k: &str) -> Vec<String> {
    match v.get(k) {
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => s.clone(),
                _ => panic!("not a string"),
            })
            .collect(),
        other => panic!("{k} not an array: {other:?}"),
    }
}

#[test]
fn bourne_identity_exact_output() {
    assert_eq!(
        run_str(r#"{"clue":"Bourne Identity star (4,5)"}"#),
        r#"{"text":"Bourne Identity star","enumeration":[4,5],"length":9,"pattern":null,"count":5,"kind":"definition","quoted":[]}"#
    );
}

#[test]
fn fields_in_order() {
    let v = clue("Anything");
    match v {
        Value::Object(m) => {
            let keys: Vec<&str> = m.iter().map(|(k, _)| k.as_str()).collect();
            assert_eq!(keys, ["text", "enumeration", "length", "pattern", "count", "kind", "quoted"]);
        }
        _ => panic!(),
    }
}

#[test]
fn trailing_enumerations() {
    for (c, e, len, text) in [
        ("Bourne Identity star (4,5)", vec![4, 5], 9, "Bourne Identity star"),
        ("Feline (3)", vec![3], 3, "Feline"),
        ("Eat greedily (4-4)", vec![4, 4], 8, "Eat greedily"),
        ("Long clue (2,3,4)", vec![2, 3, 4], 9, "Long clue"),
        ("Spaced ( 4, 5 )", vec![4, 5], 9, "Spaced"),
        ("  Lots   of \t space\n (7)  ", vec![7], 7, "Lots of space"),
    ] {
        let v = clue(c);
        assert_eq!(ints(&v, "enumeration"), e, "{c}");
        assert_eq!(int(&v, "length"), Some(len), "{c}");
        assert_eq!(s(&v, "text"), text, "{c}");
    }
    // not enumerations
    for c in ["Word (informal)", "Gap (4 5)", "Oops (4,)", "Empty ()", "(4,5) at start"] {
        let v = clue(c);
        assert_eq!(ints(&v, "enumeration"), Vec::<i64>::new(), "{c}");
        assert_eq!(int(&v, "length"), None, "{c}");
        assert_eq!(s(&v, "text"), c, "{c}");
    }
}

#[test]
fn letter_phrases_are_enumerations_not_counts() {
    for (c, n) in [
        ("Sea creature, 7 letters", 7),
        ("A 7-letter word for happy", 7),
        ("Ten-letter word for joy", 10),
        ("ten letters meaning sad", 10),
        ("7 letter word for glad", 7),
        ("Twenty letters long", 20),
        ("Three letter word for cat", 3),
    ] {
        let v = clue(c);
        assert_eq!(ints(&v, "enumeration"), vec![n], "{c}");
        assert_eq!(int(&v, "length"), Some(n), "{c}");
        assert_eq!(int(&v, "count"), Some(5), "{c}");
        assert_eq!(s(&v, "text"), c, "phrase stays in text");
    }
    // a trailing enumeration wins over a phrase
    let v = clue("Seven letters word (5)");
    assert_eq!(ints(&v, "enumeration"), vec![5]);
}

#[test]
fn counts_from_text() {
    assert_eq!(int(&clue("Give me five synonyms for happy"), "count"), Some(5));
    assert_eq!(int(&clue("Name 3 actors from Jaws"), "count"), Some(3));
    assert_eq!(int(&clue("Twelve apostles"), "count"), Some(12));
    assert_eq!(int(&clue("Three Dog Night"), "count"), Some(5));
    assert_eq!(int(&clue("50 words for snow"), "count"), Some(20));
    assert_eq!(int(&clue("Two grass types"), "count"), Some(5), "grass is not plural");
    assert_eq!(int(&clue("Two bus stops"), "count"), Some(5), "bus is not plural");
    assert_eq!(int(&clue("Two axis rotations"), "count"), Some(5));
    assert_eq!(int(&clue("Zero 0 things"), "count"), Some(5));
    assert_eq!(int(&clue("Costs 2.5 dollars"), "count"), Some(5));
    let v = clue("Who were five actors in the movie Ocean's Eleven?");
    assert_eq!(int(&v, "count"), Some(5));
    let v = clue("Who were four actors in the movie Ocean's Eleven?");
    assert_eq!(int(&v, "count"), Some(4));
    // request count wins
    let v = ok(r#"{"clue":"Name 3 actors","count":7}"#);
    assert_eq!(int(&v, "count"), Some(7));
    let v = ok(r#"{"clue":"Name 3 actors","count":null}"#);
    assert_eq!(int(&v, "count"), Some(3));
    let v = ok(r#"{"clue":"x","count":1}"#);
    assert_eq!(int(&v, "count"), Some(1));
    let v = ok(r#"{"clue":"x","count":20}"#);
    assert_eq!(int(&v, "count"), Some(20));
}

#[test]
fn kinds() {
    for (c, k) in [
        ("See 17-Across", "cross-reference"),
        ("With 5-Down, a famous duo", "cross-reference"),
        ("Partner of 12 down", "cross-reference"),
        ("Partner of 12Across?", "cross-reference"),
        ("___ and void", "fill-in-the-blank"),
        ("Who were five actors in the movie Ocean's Eleven?", "question"),
        ("what is the capital of France?", "question"),
        ("Bank account?", "wordplay"),
        ("Somewhere over the rainbow?", "wordplay"),
        ("Feline (3)", "definition"),
        ("Bourne Identity star (4,5)", "definition"),
        ("Route 66 downtown", "definition"),
        ("A_B", "definition"),
    ] {
        assert_eq!(s(&clue(c), "kind"), k, "{c}");
    }
}

#[test]
fn quoted_phrases_are_extracted() {
    let v = clue("Singer of \"Hello\" and “Someone Like You” (5)");
    assert_eq!(strs(&v, "quoted"), ["Hello", "Someone Like You"]);
    assert_eq!(strs(&clue("No quotes"), "quoted"), Vec::<String>::new());
    assert_eq!(strs(&clue("Unclosed \"quote"), "quoted"), Vec::<String>::new());
    assert_eq!(strs(&clue("Empty \"\" then \" a b \""), "quoted"), ["a b"]);
}

#[test]
fn patterns() {
    let v = ok(r#"{"clue":"Spy film","pattern":"b?urn? ?d?nt?ty"}"#);
    assert_eq!(s(&v, "pattern"), "B?URN??D?NT?TY");
    assert_eq!(ints(&v, "enumeration"), vec![6, 8]);
    assert_eq!(int(&v, "length"), Some(14));

    let v = ok(r#"{"clue":"x","pattern":"c.t-__at"}"#);
    assert_eq!(s(&v, "pattern"), "C?T??AT");
    assert_eq!(ints(&v, "enumeration"), vec![3, 4]);
    let v = ok(r#"{"clue":"x","pattern":" c?t  - -dog "}"#);
    assert_eq!(s(&v, "pattern"), "C?TDOG");
    assert_eq!(ints(&v, "enumeration"), vec![3, 3]);

    // clue enumeration wins, word breaks need not agree
    let v = ok(r#"{"clue":"Bourne Identity star (4,5)","pattern":"MA?TDAMON"}"#);
    assert_eq!(ints(&v, "enumeration"), vec![4, 5]);
    assert_eq!(s(&v, "pattern"), "MA?TDAMON");
    let v = ok(r#"{"clue":"Bourne Identity star (4,5)","pattern":"MAT TDAMON"}"#);
    assert_eq!(ints(&v, "enumeration"), vec![4, 5]);
    assert_eq!(s(&v, "pattern"), "MATTDAMON");

    // empty / blank pattern means none
    for p in [r#""""#, r#""   ""#, "null"] {
        let v = ok(&format!(r#"{{"clue":"Feline","pattern":{p}}}"#));
        assert_eq!(v.get("pattern"), Some(&Value::Null), "{p}");
        assert_eq!(int(&v, "length"), None);
    }
}

#[test]
fn star_patterns() {
    let v = ok(r#"{"clue":"Feline","pattern":"c*t"}"#);
    assert_eq!(s(&v, "pattern"), "C*T");
    assert_eq!(ints(&v, "enumeration"), Vec::<i64>::new());
    assert_eq!(int(&v, "length"), None);
    let v = ok(r#"{"clue":"Feline","pattern":"c**t"}"#);
    assert_eq!(s(&v, "pattern"), "C*T");
    // star compatible with a known length while fixed <= length
    let v = ok(r#"{"clue":"Feline (7)","pattern":"ca*t??s"}"#);
    assert_eq!(s(&v, "pattern"), "CA*T??S");
    assert_eq!(ints(&v, "enumeration"), vec![7]);
    let v = ok(r#"{"clue":"Feline (7)","pattern":"cat*cats"}"#);
    assert_eq!(int(&v, "length"), Some(7));
    assert_err(
        r#"{"clue":"Feline (7)","pattern":"cats*cats"}"#,
        "pattern",
        "pattern has at least 8 letters but the enumeration (7) needs 7",
    );
}

#[test]
fn pattern_errors() {
    assert_err(
        r#"{"clue":"Feline (7)","pattern":"cat?ca"}"#,
        "pattern",
        "pattern has 6 letters but the enumeration (7) needs 7",
    );
    assert_err(
        r#"{"clue":"Bourne Identity star (4,5)","pattern":"matt damo"}"#,
        "pattern",
        "pattern has 8 letters but the enumeration (4,5) needs 9",
    );
    assert_err(
        r#"{"clue":"Eat greedily (4-4)","pattern":"abc"}"#,
        "pattern",
        "pattern has 3 letters but the enumeration (4-4) needs 8",
    );
    assert_err(
        r#"{"clue":"Sea creature, 7 letters","pattern":"a"}"#,
        "pattern",
        "pattern has 1 letter but the enumeration (7) needs 7",
    );
    assert_err(
        r#"{"clue":"x","pattern":"ab#d"}"#,
        "pattern",
        "pattern has an invalid character '#' at position 3 (use letters, ?, ., _, *, spaces or hyphens)",
    );
    assert_err(
        r#"{"clue":"x","pattern":"é"}"#,
        "pattern",
        "pattern has an invalid character 'é' at position 1 (use letters, ?, ., _, *, spaces or hyphens)",
    );
    assert_err(
        r#"{"clue":"x","pattern":"a1"}"#,
        "pattern",
        "pattern has an invalid character '1' at position 2 (use letters, ?, ., _, *, spaces or hyphens)",
    );
    let long = "?".repeat(65);
    assert_err(&format!(r#"{{"clue":"x","pattern":"{long}"}}"#), "pattern", "pattern has 65 letters, more than 64");
    assert_err(
        &format!(r#"{{"clue":"x","pattern":"{long}*"}}"#),
        "pattern",
        "pattern has at least 65 letters, more than 64",
    );
    ok(&format!(r#"{{"clue":"x","pattern":"{}"}}"#, "?".repeat(64)));
}

#[test]
fn request_errors() {
    assert_eq!(parse_request(b"{\"clue\":\"\xff\"}"), r#"{"error":{"field":"request","detail":"request is not valid UTF-8"}}"#);
    assert_err("", "request", "request is not a JSON object");
    assert_err("not json", "request", "request is not a JSON object");
    assert_err("[1,2]", "request", "request is not a JSON object");
    assert_err("\"clue\"", "request", "request is not a JSON object");
    assert_err(r#"{"clue":"x"} trailing"#, "request", "request is not a JSON object");
    let deep = format!("{{\"clue\":\"x\",\"d\":{}{}}}", "[".repeat(200), "]".repeat(200));
    assert_err(&deep, "request", "request is nested more than 64 levels deep");
}

#[test]
fn field_errors() {
    assert_err("{}", "clue", "clue is required");
    assert_err(r#"{"clue":null}"#, "clue", "clue is required");
    assert_err(r#"{"clue":42}"#, "clue", "clue must be a string");
    assert_err(r#"{"clue":["x"]}"#, "clue", "clue must be a string");
    assert_err(r#"{"clue":"x","pattern":5}"#, "pattern", "pattern must be a string");
    assert_err(r#"{"clue":"x","pattern":false}"#, "pattern", "pattern must be a string");
    assert_err(r#"{"clue":"x","count":"5"}"#, "count", "count must be an integer");
    assert_err(r#"{"clue":"x","count":5.5}"#, "count", "count must be an integer");
    assert_err(r#"{"clue":"x","count":5.0}"#, "count", "count must be an integer");
    assert_err(r#"{"clue":"x","count":true}"#, "count", "count must be an integer");
    assert_err(r#"{"clue":"x","count":25}"#, "count", "count must be between 1 and 20, got 25");
    assert_err(r#"{"clue":"x","count":0}"#, "count", "count must be between 1 and 20, got 0");
    assert_err(r#"{"clue":"x","count":-3}"#, "count", "count must be between 1 and 20, got -3");
    assert_err(
        r#"{"clue":"x","count":123456789012345678901234567890}"#,
        "count",
        "count must be between 1 and 20, got 123456789012345678901234567890",
    );
    assert_err(r#"{"clue":""}"#, "clue", "clue is empty");
    assert_err(r#"{"clue":" \n\t "}"#, "clue", "clue is empty");
    assert_err(r#"{"clue":"(5)"}"#, "clue", "clue is empty once the enumeration (5) is removed");
    assert_err(r#"{"clue":"  ( 4, 5 ) "}"#, "clue", "clue is empty once the enumeration (4,5) is removed");
    assert_err(r#"{"clue":"Nothing (0)"}"#, "clue", "enumeration (0) has a word of length 0");
    assert_err(r#"{"clue":"Nothing (3,0)"}"#, "clue", "enumeration (3,0) has a word of length 0");
    assert_err(r#"{"clue":"Huge (60,60)"}"#, "clue", "enumeration (60,60) needs 120 letters, more than 64");
    assert_err(r#"{"clue":"Huge, 99 letters"}"#, "clue", "enumeration (99) needs 99 letters, more than 64");
    assert_err(
        r#"{"clue":"Huge (99999999999999999999999)"}"#,
        "clue",
        "enumeration (18446744073709551615) needs 18446744073709551615 letters, more than 64",
    );
    // extra fields are ignored
    ok(r#"{"clue":"x","style":"anything","other":[1,{"a":null}]}"#);
}

#[test]
fn clue_length_limit() {
    let c500 = "é".repeat(500);
    assert_eq!(s(&clue(&c500), "text"), c500);
    let c501 = "a".repeat(501);
    assert_err(&format!(r#"{{"clue":"{c501}"}}"#), "clue", "clue is longer than 500 characters");
    let c501 = format!("{} (5)", "a".repeat(497));
    assert_err(&format!(r#"{{"clue":"{c501}"}}"#), "clue", "clue is longer than 500 characters");
}

#[test]
fn output_escapes_strings() {
    let out = run_str("{\"clue\":\"Say \\\"hi\\\" \\\\ \\u0001 now\"}");
    assert!(out.starts_with(r#"{"text":"Say \"hi\" \\ \u0001 now","#), "{out}");
    assert!(json::read(&out).is_ok());
}

fn call_abi(input: &[u8]) -> String {
    unsafe {
        let ptr = cabi_realloc(std::ptr::null_mut(), 0, 1, input.len());
        assert!(!ptr.is_null());
        std::ptr::copy_nonoverlapping(input.as_ptr(), ptr, input.len());
        let ret = parse(ptr, input.len());
        let area = ret as *const usize;
        let out_ptr = *area as *const u8;
        let out_len = *area.add(1);
        let out = std::slice::from_raw_parts(out_ptr, out_len).to_vec();
        cabi_post_parse(ret);
        String::from_utf8(out).expect("utf-8 result")
    }
}

#[test]
fn abi_memory_protocol() {
    let input = br#"{"clue":"Bourne Identity star (4,5)"}"#;
    assert_eq!(call_abi(input), parse_request(input));
    assert_eq!(call_abi(b""), parse_request(b""));
    assert_eq!(call_abi(b"\xff\xfe"), r#"{"error":{"field":"request","detail":"request is not valid UTF-8"}}"#);
    for _ in 0..1000 {
        call_abi(br#"{"clue":"Feline (3)","pattern":"c?t"}"#);
    }
    unsafe {
        // zero-sized and invalid requests never trap
        assert!(!cabi_realloc(std::ptr::null_mut(), 0, 1, 0).is_null());
        assert!(cabi_realloc(std::ptr::null_mut(), 0, 3, 8).is_null());
        let p = cabi_realloc(std::ptr::null_mut(), 0, 1, 4);
        let p = cabi_realloc(p, 4, 1, 100);
        assert!(!p.is_null());
        let p = cabi_realloc(p, 100, 1, 0);
        assert!(!p.is_null());
        cabi_post_parse(std::ptr::null_mut());
    }
}

/// xorshift, deterministic
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn fuzz_never_panics_and_always_returns_json() {
    let mut rng = Rng(0x9E3779B97F4A7C15);
    let pieces: [&str; 24] = [
        "{", "}", "[", "]", "\"clue\"", "\"pattern\"", "\"count\"", ":", ",", "\"", "(", ")", "4", "-", "?", "*",
        "letters", " ", "five", "actors", "\\u00e9", "null", "\u{201C}", "__",
    ];
    for round in 0..20_000 {
        let mut bytes: Vec<u8> = Vec::new();
        let n = rng.below(40);
        for _ in 0..n {
            if round % 2 == 0 {
                bytes.push(rng.next() as u8);
            } else {
                bytes.extend_from_slice(pieces[rng.below(pieces.len())].as_bytes());
            }
        }
        let out = parse_request(&bytes);
        assert!(json::read(&out).is_ok(), "bad output {out} for {bytes:?}");
        // also structured requests with random clue/pattern text
        let clue: String = (0..rng.below(30)).map(|_| pieces[rng.below(pieces.len())]).collect();
        let pat: String = (0..rng.below(10)).map(|_| ["a", "?", "*", " ", "-", ".", "_", "#"][rng.below(8)]).collect();
        let req = format!("{{\"clue\":{},\"pattern\":{}}}", json::quote(&clue), json::quote(&pat));
        let out = parse_request(req.as_bytes());
        assert!(json::read(&out).is_ok(), "bad output {out} for {req}");
    }
    // huge and deep inputs
    let huge = format!("{{\"clue\":\"{}\"}}", "a".repeat(5_000_000));
    assert_err(&huge, "clue", "clue is longer than 500 characters");
    let huge_pat = format!("{{\"clue\":\"x\",\"pattern\":\"{}\"}}", "-".repeat(1_000_000));
    ok(&huge_pat);
    assert_err(&"[".repeat(1_000_000), "request", "request is nested more than 64 levels deep");
    assert_err(&"{\"a\":".repeat(100_000), "request", "request is nested more than 64 levels deep");
}

#[test]
fn clues_with_nothing_but_markers_or_control_characters_are_rejected() {
    let detail = "clue is empty once control characters and prompt markers are removed";
    assert_err(r#"{"clue":"\u0000"}"#, "clue", detail);
    assert_err(r#"{"clue":"<s>"}"#, "clue", detail);
    assert_err(r#"{"clue":"[INST] <</SYS>> \u0007 (5)"}"#, "clue", detail);
    assert_err(r#"{"clue":"<cl<clue>ue>"}"#, "clue", detail);
    // something left: accepted, and the text keeps what the clue said
    assert_eq!(s(&ok(r#"{"clue":"<s>Dog (3)"}"#), "text"), "<s>Dog");
}

#[test]
fn every_accepted_clue_has_text_left_for_the_prompt() {
    for c in [r"\u0001x", r"x\u0000", "[inst]a", "<S>b</S>", "a<</SYS>>"] {
        let v = ok(&format!(r#"{{"clue":"{c}"}}"#));
        assert!(!cw_json::prompt_text::clean(&s(&v, "text")).is_empty(), "{c}");
    }
}
