//! The expression language of `assert = "…"` in `rules/audit.toml`: a lexer
//! and a recursive-descent parser that keep byte positions for diagnostics.

use std::collections::HashMap;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::model::{Agg, Expr, Op, Rel, SumArg};

#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    /// Byte offset in the expression.
    pub pos: usize,
    pub msg: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Name(String),
    Prefix(String),
    Num(Decimal),
    Str(String),
    Op(Op),
    Rel(Rel),
    LParen,
    RParen,
    Comma,
}

fn lex(s: &str) -> Result<Vec<(usize, Tok)>, ParseError> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |pos, msg: &str| ParseError {
        pos,
        msg: msg.to_string(),
    };
    while i < b.len() {
        let c = b[i];
        let start = i;
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'+' => (out.push((i, Tok::Op(Op::Add))), i += 1).1,
            b'-' => (out.push((i, Tok::Op(Op::Sub))), i += 1).1,
            b'*' => (out.push((i, Tok::Op(Op::Mul))), i += 1).1,
            b'/' => (out.push((i, Tok::Op(Op::Div))), i += 1).1,
            b'(' => (out.push((i, Tok::LParen)), i += 1).1,
            b')' => (out.push((i, Tok::RParen)), i += 1).1,
            b',' => (out.push((i, Tok::Comma)), i += 1).1,
            b'=' => {
                i += if b.get(i + 1) == Some(&b'=') { 2 } else { 1 };
                out.push((start, Tok::Rel(Rel::Eq)));
            }
            b'<' | b'>' => {
                if b.get(i + 1) != Some(&b'=') {
                    return Err(err(i, "strict `<`/`>` is not supported; use `<=` or `>=`"));
                }
                out.push((start, Tok::Rel(if c == b'<' { Rel::Le } else { Rel::Ge })));
                i += 2;
            }
            b'"' => {
                let rest = &s[i + 1..];
                let Some(end) = rest.find('"') else {
                    return Err(err(i, "unterminated string"));
                };
                out.push((start, Tok::Str(rest[..end].to_string())));
                i += end + 2;
            }
            b'0'..=b'9' => {
                let (end, tok) = lex_number(s, start)?;
                out.push((start, tok));
                i = end;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let (end, tok) = lex_name(s, start)?;
                out.push((start, tok));
                i = end;
            }
            _ => {
                let ch = s[i..].chars().next().unwrap_or('?');
                return Err(err(i, &format!("unexpected character `{ch}`")));
            }
        }
    }
    Ok(out)
}

/// A decimal number starting at `start`: its end and token.
fn lex_number(s: &str, start: usize) -> Result<(usize, Tok), ParseError> {
    let b = s.as_bytes();
    let mut i = start;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
        i += 1;
    }
    let n = Decimal::from_str(&s[start..i]).map_err(|_| ParseError {
        pos: start,
        msg: "bad number".into(),
    })?;
    Ok((i, Tok::Num(n)))
}

/// A metric or function name starting at `start`, or a `prefix.*` pattern.
fn lex_name(s: &str, start: usize) -> Result<(usize, Tok), ParseError> {
    let b = s.as_bytes();
    let mut i = start;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
        // `staff.*`: a trailing `.` followed by `*` is a prefix pattern.
        if b[i] == b'.' && b.get(i + 1) == Some(&b'*') {
            break;
        }
        i += 1;
    }
    let name = s[start..i].to_string();
    if b.get(i) == Some(&b'.') && b.get(i + 1) == Some(&b'*') {
        return Ok((i + 2, Tok::Prefix(name)));
    }
    if name.ends_with('.') || name.contains("..") {
        return Err(ParseError {
            pos: start,
            msg: format!("bad metric name `{name}`"),
        });
    }
    Ok((i, Tok::Name(name)))
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    i: usize,
    end: usize,
    names: HashMap<String, usize>,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i).map(|t| &t.1)
    }
    fn pos(&self) -> usize {
        self.toks.get(self.i).map(|t| t.0).unwrap_or(self.end)
    }
    fn err<T>(&self, msg: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError {
            pos: self.pos(),
            msg: msg.into(),
        })
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.i).map(|t| t.1.clone());
        self.i += 1;
        t
    }
    fn expect(&mut self, t: Tok, what: &str) -> Result<(), ParseError> {
        if self.peek() == Some(&t) {
            self.i += 1;
            Ok(())
        } else {
            self.err(format!("expected {what}"))
        }
    }
    fn note_name(&mut self, name: &str, pos: usize) {
        self.names.entry(name.to_string()).or_insert(pos);
    }

    fn expr(&mut self) -> Result<Expr, ParseError> {
        let mut e = self.term()?;
        while let Some(Tok::Op(op @ (Op::Add | Op::Sub))) = self.peek().cloned() {
            self.i += 1;
            let r = self.term()?;
            e = Expr::Bin(Box::new(e), op, Box::new(r));
        }
        Ok(e)
    }
    fn term(&mut self) -> Result<Expr, ParseError> {
        let mut e = self.factor()?;
        while let Some(Tok::Op(op @ (Op::Mul | Op::Div))) = self.peek().cloned() {
            self.i += 1;
            let r = self.factor()?;
            e = Expr::Bin(Box::new(e), op, Box::new(r));
        }
        Ok(e)
    }
    fn factor(&mut self) -> Result<Expr, ParseError> {
        let pos = self.pos();
        match self.next() {
            Some(Tok::Op(Op::Sub)) => Ok(Expr::Neg(Box::new(self.factor()?))),
            Some(Tok::Num(n)) => Ok(Expr::Num(n)),
            Some(Tok::LParen) => {
                let e = self.expr()?;
                self.expect(Tok::RParen, "`)`")?;
                Ok(e)
            }
            Some(Tok::Name(name)) => {
                if self.peek() == Some(&Tok::LParen) {
                    self.i += 1;
                    self.call(&name, pos)
                } else {
                    self.note_name(&name, pos);
                    Ok(Expr::Metric(name))
                }
            }
            Some(Tok::Prefix(p)) => {
                self.i -= 1;
                self.err(format!("pattern `{p}.*` is only allowed inside sum(…)"))
            }
            Some(_) => {
                self.i -= 1;
                self.err("expected a metric, number, function or `(`")
            }
            None => self.err("expression ends too early"),
        }
    }
    fn call(&mut self, name: &str, pos: usize) -> Result<Expr, ParseError> {
        match name {
            "sum" => {
                let mut args = Vec::new();
                loop {
                    let p = self.pos();
                    match self.next() {
                        Some(Tok::Name(m)) => {
                            self.note_name(&m, p);
                            args.push(SumArg::Metric(m));
                        }
                        Some(Tok::Prefix(m)) => {
                            self.note_name(&m, p);
                            args.push(SumArg::Prefix(m));
                        }
                        _ => {
                            self.i -= 1;
                            return self.err("sum(…) takes metric names or `prefix.*` patterns");
                        }
                    }
                    match self.next() {
                        Some(Tok::Comma) => continue,
                        Some(Tok::RParen) => break,
                        _ => {
                            self.i -= 1;
                            return self.err("expected `,` or `)`");
                        }
                    }
                }
                Ok(Expr::Sum(args))
            }
            "scores" | "weights" | "items" => {
                let arg = match self.peek().cloned() {
                    Some(Tok::Str(s)) => {
                        self.i += 1;
                        Some(s)
                    }
                    _ => None,
                };
                self.expect(Tok::RParen, "`)` or a quoted argument")?;
                match (name, arg) {
                    ("scores", a) => Ok(Expr::Agg(Agg::Scores(a))),
                    ("weights", a) => Ok(Expr::Agg(Agg::Weights(a))),
                    (_, Some(g)) => {
                        // +1: the name starts after the opening quote.
                        self.note_name(&g, pos + "items(".len() + 1);
                        Ok(Expr::Agg(Agg::Items(g)))
                    }
                    (_, None) => Err(ParseError {
                        pos,
                        msg: "items(…) needs a quoted group metric, e.g. items(\"expense.project.business\")".into(),
                    }),
                }
            }
            other => Err(ParseError {
                pos,
                msg: format!("unknown function `{other}` (known: sum, scores, weights, items)"),
            }),
        }
    }
}

/// Parses `LEFT REL RIGHT` (REL: `==`/`=`, `<=`, `>=`).
pub fn parse_assertion(s: &str) -> Result<Assertion, ParseError> {
    parse_with_positions(s).map(|(a, _)| a)
}

pub type Assertion = (Expr, Rel, Expr);

/// The assertion and where each name first appears (for error messages).
pub(super) fn parse_with_positions(
    s: &str,
) -> Result<(Assertion, HashMap<String, usize>), ParseError> {
    let toks = lex(s)?;
    let mut p = Parser {
        toks,
        i: 0,
        end: s.len(),
        names: HashMap::new(),
    };
    let left = p.expr()?;
    let rel = match p.next() {
        Some(Tok::Rel(r)) => r,
        _ => {
            p.i -= 1;
            return p.err("expected `==`, `<=` or `>=`");
        }
    };
    let right = p.expr()?;
    if p.peek().is_some() {
        return p.err("unexpected text after the expression");
    }
    Ok(((left, rel, right), p.names))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_reports_positions() {
        let (l, r, _) = parse_assertion("staff.total == sum(staff.*)").unwrap();
        assert_eq!(l, Expr::Metric("staff.total".into()));
        assert_eq!(r, Rel::Eq);
        let e = parse_assertion("a.b == (c.d + ").unwrap_err();
        assert_eq!(e.pos, 14);
        let e = parse_assertion("a.b == foo(c)").unwrap_err();
        assert!(e.msg.contains("unknown function"));
        assert!(parse_assertion("a.b + c.d").is_err());
        assert!(parse_assertion("a.b == staff.*").is_err());
    }
}
