//! How far a comparison may be off: half a unit of the least precise input,
//! carried through the arithmetic, so a rate is judged in points and a sum in
//! yuan.

use rust_decimal::Decimal;

use super::context::DocCtx;
use super::eval::{Eval, Input};
use crate::figures::to_decimal;
use crate::quantity::place_of_last_digit;
use crate::rules::audit::{Check, Expr};

/// Half a unit of the last written place of a figure, in its canonical unit:
/// half its `resolution` (14623.09 万元 → 50 元), or, in records written
/// before figures carried one, half the place of the value's last non-zero digit.
pub(super) fn half_resolution(resolution: Option<f64>, value: Decimal) -> Decimal {
    let unit = resolution
        .and_then(to_decimal)
        .unwrap_or_else(|| place_of_last_digit(value));
    unit / Decimal::TWO
}

/// The largest effect that half a unit of any one input has on
/// `found − expected` (`diff`): each input is bumped in turn and both sides
/// evaluated again.
pub(super) fn tolerance(
    ctx: &DocCtx<'_>,
    check: &Check,
    (left, right): (&Expr, &Expr),
    inputs: &[Input],
    diff: Decimal,
) -> Decimal {
    let mut tolerance = Decimal::ZERO;
    for input in inputs.iter().filter(|i| !i.half.is_zero()) {
        let mut eval = Eval::new(ctx, check, Some(&input.metric));
        if let (Ok(l), Ok(r)) = (eval.side(left), eval.side(right))
            && let Some(effect) = l.checked_sub(r).and_then(|d| d.checked_sub(diff))
        {
            tolerance = tolerance.max(effect.abs());
        }
    }
    tolerance
}
