//! JSON the way Python writes and compares it, so output is byte-identical to `ocdskit`.
//!
//! `ocdskit` prints with `json.dumps(..., separators=(",", ":"), ensure_ascii=False)`: compact,
//! UTF-8, keys in insertion order, and every non-integer number as Python's `repr` of a float
//! (`1.5`, `100.0`, `1e+16`, `1e-05`). [`PyFormatter`] is a `serde_json` formatter that does the
//! same; [`py_eq`] is Python's `==` on decoded JSON (`1 == 1.0 == True`).

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;
use serde_json::{Number, Value};

/// A compact `serde_json` formatter that writes floats as Python's `repr` does.
#[derive(Debug, Clone, Copy, Default)]
pub struct PyFormatter;

impl Formatter for PyFormatter {
    fn write_f64<W: ?Sized + Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        writer.write_all(py_float_repr(value).as_bytes())
    }

    fn write_f32<W: ?Sized + Write>(&mut self, writer: &mut W, value: f32) -> io::Result<()> {
        self.write_f64(writer, f64::from(value))
    }
}

/// Serialize a value compactly, as Python's `json.dumps` with `ocdskit`'s options does.
pub fn to_writer<W: Write, T: Serialize + ?Sized>(writer: W, value: &T) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(writer, PyFormatter);
    value.serialize(&mut ser).map_err(io::Error::other)
}

/// Serialize a value to a string, as Python's `json.dumps` with `ocdskit`'s options does.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::new();
    to_writer(&mut out, value).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Python's `repr` of a float.
pub fn py_float_repr(value: f64) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if value == 0.0 {
        return if value.is_sign_negative() {
            "-0.0"
        } else {
            "0.0"
        }
        .into();
    }
    // Rust's `{:e}` gives the shortest round-trip digits, like Python's repr.
    let sci = format!("{value:e}");
    let (mantissa, exp) = sci.split_once('e').expect("`{:e}` has an exponent");
    let exp: i32 = exp.parse().expect("`{:e}` exponent is an integer");
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let decpt = exp + 1;
    let mut out = String::with_capacity(digits.len() + 8);
    out.push_str(sign);
    if decpt > -4 && decpt <= 16 {
        let n = digits.len() as i32;
        if decpt <= 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-decpt) as usize));
            out.push_str(&digits);
        } else if decpt >= n {
            out.push_str(&digits);
            out.extend(std::iter::repeat_n('0', (decpt - n) as usize));
            out.push_str(".0");
        } else {
            out.push_str(&digits[..decpt as usize]);
            out.push('.');
            out.push_str(&digits[decpt as usize..]);
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let abs = exp.unsigned_abs();
        if abs < 10 {
            out.push('0');
        }
        out.push_str(&abs.to_string());
    }
    out
}

/// Python's `str()` of a decoded JSON value, as used in `f"{ocid}-{date}"`.
pub fn py_str(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "None".into(),
        Some(Value::Bool(true)) => "True".into(),
        Some(Value::Bool(false)) => "False".into(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => number_str(n),
        Some(other) => other.to_string(),
    }
}

fn number_str(n: &Number) -> String {
    if n.is_f64() {
        py_float_repr(n.as_f64().unwrap_or(f64::NAN))
    } else {
        n.to_string()
    }
}

/// Python's `str()` of a [`Json`](crate::json::Json) value.
pub fn py_str_json(value: Option<&crate::json::Json<'_>>) -> String {
    use crate::json::Json;
    match value {
        None | Some(Json::Null) => "None".into(),
        Some(Json::Bool(true)) => "True".into(),
        Some(Json::Bool(false)) => "False".into(),
        Some(Json::String(s)) => s.to_string(),
        Some(Json::Number(n)) => number_str(n),
        Some(other) => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// Python's `==` on two [`Json`](crate::json::Json) values.
pub fn py_eq_json(a: &crate::json::Json<'_>, b: &crate::json::Json<'_>) -> bool {
    use crate::json::Json;
    match (a, b) {
        (Json::Null, Json::Null) => true,
        (Json::String(x), Json::String(y)) => x == y,
        (Json::Bool(x), Json::Bool(y)) => x == y,
        (Json::Bool(x), Json::Number(n)) | (Json::Number(n), Json::Bool(x)) => {
            py_num(n) == PyNum::Int(i128::from(*x))
        }
        (Json::Number(x), Json::Number(y)) => py_num(x) == py_num(y),
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| py_eq_json(p, q))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.iter()
                        .find(|(l, _)| l == k)
                        .is_some_and(|(_, w)| py_eq_json(v, w))
                })
        }
        _ => false,
    }
}

/// A number as Python would compare it: an exact integer, or a non-integral float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum PyNum {
    Int(i128),
    Float(u64),
}

pub(crate) fn py_num(n: &Number) -> PyNum {
    if let Some(i) = n.as_i64() {
        return PyNum::Int(i128::from(i));
    }
    if let Some(u) = n.as_u64() {
        return PyNum::Int(i128::from(u));
    }
    let f = n.as_f64().unwrap_or(f64::NAN);
    if f.fract() == 0.0 && f.abs() < 1.0e38 {
        PyNum::Int(f as i128)
    } else {
        PyNum::Float(f.to_bits())
    }
}

/// Python's `==` on two decoded JSON values (`1 == 1.0 == True`, objects unordered).
pub fn py_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Bool(x), Value::Number(n)) | (Value::Number(n), Value::Bool(x)) => {
            py_num(n) == PyNum::Int(i128::from(*x))
        }
        (Value::Number(x), Value::Number(y)) => py_num(x) == py_num(y),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| py_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| py_eq(v, w)))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn float_repr_matches_python() {
        for (value, expected) in [
            (1.5, "1.5"),
            (100.0, "100.0"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1.5e16, "1.5e+16"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.234e-7, "1.234e-07"),
            (-2.5, "-2.5"),
            (123456.789, "123456.789"),
            (0.1, "0.1"),
            (1e100, "1e+100"),
            (-0.0, "-0.0"),
            (12345678901234567.0, "1.2345678901234568e+16"),
        ] {
            assert_eq!(py_float_repr(value), expected, "{value}");
        }
    }

    #[test]
    fn writes_like_json_dumps() {
        let value = json!({"a": [1, 2.0, "é\n\u{1f}\"\\"], "b": null, "c": 1e20});
        assert_eq!(
            to_string(&value),
            "{\"a\":[1,2.0,\"é\\n\\u001f\\\"\\\\\"],\"b\":null,\"c\":1e+20}"
        );
    }

    #[test]
    fn equality_like_python() {
        assert!(py_eq(&json!(1), &json!(1.0)));
        assert!(py_eq(&json!(true), &json!(1)));
        assert!(!py_eq(&json!("1"), &json!(1)));
        assert!(py_eq(&json!({"a": 1, "b": 2}), &json!({"b": 2, "a": 1.0})));
        assert!(!py_eq(&json!([1, 2]), &json!([2, 1])));
    }
}
