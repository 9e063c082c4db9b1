//! Numbers with six decimals, as every CSV writes them, without the general float
//! formatter: [`push_fixed6`] gives exactly the bytes of `format!("{x:.6}")` (with `-0`
//! written as `0`), computed in integers. A full-detail run writes tens of thousands of
//! numbers, and the general formatter's exact mode was most of the time spent writing them.
//!
//! The value of a double is `m * 2^-s` exactly, with `m < 2^53`. Its six-decimal rounding
//! is `m * 10^6 / 2^s` rounded to an integer, ties to even, as `{:.6}` rounds the exact
//! binary value; `m * 10^6 < 2^73` fits a `u128`, so the division and its remainder are
//! exact. Magnitudes of 2^40 and above (never in the model's outputs) and non-finite
//! values fall back to the general formatter.

use std::fmt::Write;

/// Magnitudes below this go through the integer path: every such double has `s > 0`.
const INTEGER_PATH_LIMIT: f64 = 1_099_511_627_776.0; // 2^40

/// Appends `x` with six decimals to `out`: the bytes of `format!("{x:.6}")`, except that a
/// value that rounds to zero is written `0.000000` whatever its sign.
pub fn push_fixed6(out: &mut String, x: f64) {
    if !x.is_finite() || x.abs() >= INTEGER_PATH_LIMIT {
        push_general(out, x);
        return;
    }
    let micros = round_micros(x.abs());
    if micros == 0 {
        out.push_str("0.000000");
        return;
    }
    if x < 0.0 {
        out.push('-');
    }
    push_u64(out, micros / 1_000_000);
    out.push('.');
    push_padded(out, micros % 1_000_000, 6);
}

/// Appends the decimal digits of `n`: the bytes of `format!("{n}")`, without the general
/// formatter (tables write one or more integers per cell).
pub fn push_u64(out: &mut String, n: u64) {
    push_padded(out, n, 1);
}

/// Appends the decimal digits of `n`, zero-padded to at least `width` digits (at most
/// 20): the bytes of `format!("{n:0width$}")`.
pub fn push_padded(out: &mut String, mut n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut start = digits.len();
    while n > 0 {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    start = start.min(digits.len() - width.clamp(1, digits.len()));
    out.push_str(std::str::from_utf8(&digits[start..]).expect("ASCII digits"));
}

/// `format!("{x:.6}")` with the negative zero dropped, for the values the integer path
/// does not take.
fn push_general(out: &mut String, x: f64) {
    let start = out.len();
    let _ = write!(out, "{x:.6}");
    let written = &out[start..];
    if written.starts_with('-') && written[1..].bytes().all(|b| b == b'0' || b == b'.') {
        out.remove(start);
    }
}

/// `a * 10^6` rounded to the nearest integer, ties to even, for finite `0 <= a < 2^40`.
fn round_micros(a: f64) -> u64 {
    let bits = a.to_bits();
    let biased = (bits >> 52) as i32;
    let fraction = bits & ((1 << 52) - 1);
    // a = m * 2^-s: normal numbers carry the implicit leading bit; subnormals do not.
    let (m, s) = if biased == 0 {
        (fraction, 1074)
    } else {
        (fraction | (1 << 52), 1075 - biased)
    };
    debug_assert!(s > 0, "the integer path holds magnitudes below 2^40 only");
    if s >= 128 {
        // a * 10^6 < 2^73 / 2^128: far below one half.
        return 0;
    }
    let n = u128::from(m) * 1_000_000;
    let (q, r) = (n >> s, n & ((1u128 << s) - 1));
    let half = 1u128 << (s - 1);
    let up = r > half || (r == half && q & 1 == 1);
    (q + u128::from(up)) as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn integers_are_written_as_the_formatter_writes_them() {
        let mut state = 3u64;
        let mut cases = vec![
            0,
            1,
            9,
            10,
            99,
            100,
            999_999,
            1_000_000,
            u64::MAX,
            u64::MAX - 1,
        ];
        for _ in 0..2000 {
            let x = crate::sim::rng::splitmix64(&mut state);
            cases.extend([x, x >> 20, x >> 40, x % 1000]);
        }
        for n in cases {
            let mut out = String::from("x");
            push_u64(&mut out, n);
            assert_eq!(out, format!("x{n}"));
            for width in [1, 2, 4, 6, 20] {
                let mut out = String::new();
                push_padded(&mut out, n, width);
                assert_eq!(out, format!("{n:0width$}"), "{n} in {width} digits");
            }
        }
    }

    fn std_fixed6(x: f64) -> String {
        let s = format!("{x:.6}");
        if s.starts_with('-') && s[1..].bytes().all(|b| b == b'0' || b == b'.') {
            s[1..].to_owned()
        } else {
            s
        }
    }

    fn fixed6(x: f64) -> String {
        let mut s = String::new();
        push_fixed6(&mut s, x);
        s
    }

    #[test]
    fn ties_round_to_even_and_edges_match_the_general_formatter() {
        let cases = [
            0.0,
            -0.0,
            0.0000005,
            0.0000015,
            0.0000025,
            -0.0000005,
            0.125,
            0.375,
            1.0000005,
            2.5e-7,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            5e-324,
            0.9999995,
            0.99999949999999,
            -0.9999995,
            123456.7890125,
            INTEGER_PATH_LIMIT,
            -INTEGER_PATH_LIMIT,
            INTEGER_PATH_LIMIT * (1.0 - f64::EPSILON),
            1e300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for x in cases {
            assert_eq!(fixed6(x), std_fixed6(x), "x = {x:e}");
        }
        // Exact ties at the seventh decimal: multiples of 2^-7 = 0.0078125.
        for k in 0..4096u32 {
            let x = f64::from(k) / 128.0;
            assert_eq!(fixed6(x), std_fixed6(x), "x = {x}");
            assert_eq!(fixed6(-x), std_fixed6(-x), "x = -{x}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn any_double_formats_as_the_general_formatter(bits in any::<u64>()) {
            let x = f64::from_bits(bits);
            prop_assert_eq!(fixed6(x), std_fixed6(x));
        }

        #[test]
        fn model_sized_numbers_format_as_the_general_formatter(x in -1e7f64..1e7) {
            prop_assert_eq!(fixed6(x), std_fixed6(x));
        }

        #[test]
        fn numbers_near_six_decimal_ties_format_as_the_general_formatter(
            k in 0i64..20_000_000, ulps in -3i64..=3,
        ) {
            let tie = (k as f64 + 0.5) / 1e6;
            let x = f64::from_bits((tie.to_bits() as i64 + ulps) as u64);
            prop_assert_eq!(fixed6(x), std_fixed6(x));
        }
    }
}
