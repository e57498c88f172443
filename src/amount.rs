//! Money as exact decimal text.
//!
//! Providers send amounts as JSON numbers (`50.00`) or strings (`"10.00"`). Reading them as `f64`
//! would turn `0.10` into 0.1000000000000000055…, and drop the trailing zeros the provider wrote.
//! [`Amount`] keeps the text exactly as sent, reads JSON numbers from their token (never through a
//! float), and converts exactly to minor units.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde_json::value::RawValue;

/// An exact decimal amount, kept as the text the provider sent.
///
/// Comparison is numeric: `50.0 == 50.00`. [`Display`](fmt::Display) and
/// [`as_str`](Amount::as_str) give the text as sent.
///
/// ```
/// use hookproof::Amount;
///
/// let amount: Amount = "50.00".parse()?;
/// assert_eq!(amount.as_str(), "50.00");
/// assert_eq!(amount.to_minor_units(2)?, 5000);
/// assert_eq!(amount, "50".parse()?);
/// assert!("0.005".parse::<Amount>()?.to_minor_units(2).is_err()); // not a whole cent
/// # Ok::<(), hookproof::AmountError>(())
/// ```
#[derive(Clone)]
pub struct Amount(Box<str>);

/// Why text is not an [`Amount`] or cannot be converted exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AmountError {
    /// The text is not a decimal number (`-12.50`, `1e3`).
    #[error("not a decimal number")]
    Invalid,
    /// The amount has more fractional digits than the requested minor unit.
    #[error("the amount is not a whole number of minor units")]
    Inexact,
    /// The amount does not fit the target type.
    #[error("the amount is out of range")]
    OutOfRange,
}

/// An amount's parts: sign, significant digits without leading or trailing zeros, and the power
/// of ten they are scaled by. Zero has no digits and is never negative.
struct Canonical<'a> {
    negative: bool,
    /// Integer digits then fraction digits, leading/trailing zeros aside, possibly split by `.`.
    digits: &'a str,
    exponent: i64,
}

impl Canonical<'_> {
    fn digits(&self) -> impl Iterator<Item = u8> + '_ {
        self.digits.bytes().filter(u8::is_ascii_digit)
    }

    fn digit_count(&self) -> i64 {
        self.digits().count() as i64
    }

    fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// The power of ten of the most significant digit plus one: compares magnitudes.
    fn magnitude(&self) -> i64 {
        self.digit_count().saturating_add(self.exponent)
    }
}

/// The longest text accepted as an amount.
pub const MAX_LEN: usize = 64;

/// The largest exponent accepted (`1e64`); no money amount comes near it, and refusing more keeps
/// every conversion cheap.
pub const MAX_EXPONENT: i64 = 64;

impl Amount {
    /// Parses decimal text: an optional `-`, digits, an optional fraction and an optional
    /// exponent (`1.5e3`), as in JSON; leading zeros are allowed, as forms send them. Text longer
    /// than 64 characters, or an exponent beyond ±64 (`1e400`), is refused.
    pub fn parse(text: &str) -> Result<Self, AmountError> {
        Self::check(text)?;
        Ok(Self(text.into()))
    }

    /// Takes text already in its own allocation, such as a JSON number token.
    fn from_boxed(text: Box<str>) -> Result<Self, AmountError> {
        Self::check(&text)?;
        Ok(Self(text))
    }

    fn check(text: &str) -> Result<(), AmountError> {
        if text.len() > MAX_LEN {
            return Err(AmountError::Invalid);
        }
        let (_, _, exponent) = parts(text).ok_or(AmountError::Invalid)?;
        if exponent.abs() > MAX_EXPONENT {
            return Err(AmountError::Invalid);
        }
        Ok(())
    }

    /// The text as the provider sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the amount is below zero.
    pub fn is_negative(&self) -> bool {
        self.canonical().negative
    }

    /// Whether the amount is zero, however it is written.
    pub fn is_zero(&self) -> bool {
        self.canonical().is_zero()
    }

    /// The amount in minor units of a currency with `exponent` decimal places (2 for USD and
    /// EUR, 0 for JPY, 3 for KWD): `12.34` with exponent 2 is `1234`.
    ///
    /// Fails with [`AmountError::Inexact`] rather than rounding, and with
    /// [`AmountError::OutOfRange`] when the result does not fit an `i64`.
    pub fn to_minor_units(&self, exponent: u32) -> Result<i64, AmountError> {
        let canonical = self.canonical();
        if canonical.is_zero() {
            return Ok(0);
        }
        let scale = canonical.exponent.saturating_add(i64::from(exponent));
        if scale < 0 {
            return Err(AmountError::Inexact);
        }
        if canonical.magnitude().saturating_add(i64::from(exponent)) > 19 {
            return Err(AmountError::OutOfRange);
        }
        let mut value: i128 = 0;
        for digit in canonical.digits() {
            value = value * 10 + i128::from(digit - b'0');
        }
        value *= 10_i128.pow(scale as u32);
        if canonical.negative {
            value = -value;
        }
        i64::try_from(value).map_err(|_| AmountError::OutOfRange)
    }

    fn canonical(&self) -> Canonical<'_> {
        // Validated at construction.
        let (negative, mantissa, exponent) = parts(&self.0).unwrap_or((false, "", 0));
        let fraction_len = mantissa
            .split_once('.')
            .map_or(0, |(_, fraction)| fraction.len());
        let digits = mantissa.trim_start_matches(['0', '.']);
        let trimmed = digits.trim_end_matches(['0', '.']);
        // Trailing zeros, before or after the point, move into the exponent.
        let dropped = digits[trimmed.len()..]
            .bytes()
            .filter(|&b| b == b'0')
            .count();
        let exponent = exponent
            .saturating_sub(fraction_len as i64)
            .saturating_add(dropped as i64);
        Canonical {
            negative: negative && !trimmed.is_empty(),
            digits: trimmed,
            exponent: if trimmed.is_empty() { 0 } else { exponent },
        }
    }
}

/// Sign, mantissa (digits with at most one `.` between digits) and exponent, or `None`.
fn parts(text: &str) -> Option<(bool, &str, i64)> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(at) => (&rest[..at], Some(&rest[at + 1..])),
        None => (rest, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, "0"));
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int) || !all_digits(frac) {
        return None;
    }
    let exponent = match exponent {
        None => 0,
        Some(exponent) => {
            let (sign, digits) = match exponent.as_bytes().first() {
                Some(b'-') => (-1, &exponent[1..]),
                Some(b'+') => (1, &exponent[1..]),
                _ => (1, exponent),
            };
            if !all_digits(digits) {
                return None;
            }
            let significant = digits.trim_start_matches('0');
            let magnitude = match significant.len() {
                0 => 0,
                // Anything longer is far beyond the limit; saturate rather than overflow.
                1..=6 => significant.parse::<i64>().unwrap_or(i64::MAX),
                _ => i64::MAX,
            };
            sign * magnitude
        }
    };
    Some((negative, mantissa, exponent))
}

impl FromStr for Amount {
    type Err = AmountError;

    fn from_str(text: &str) -> Result<Self, AmountError> {
        Self::parse(text)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Amount({})", self.0)
    }
}

impl PartialEq for Amount {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Amount {}

impl PartialOrd for Amount {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Amount {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (self.canonical(), other.canonical());
        let sign = |c: &Canonical<'_>| match (c.is_zero(), c.negative) {
            (true, _) => 0,
            (false, true) => -1,
            (false, false) => 1,
        };
        let by_sign = sign(&a).cmp(&sign(&b));
        if by_sign != Ordering::Equal || a.is_zero() {
            return by_sign;
        }
        // Same sign: compare magnitudes, then digits, then length (shorter means trailing zeros).
        let magnitude = a
            .magnitude()
            .cmp(&b.magnitude())
            .then_with(|| a.digits().cmp(b.digits()));
        if a.negative {
            magnitude.reverse()
        } else {
            magnitude
        }
    }
}

impl Hash for Amount {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let canonical = self.canonical();
        canonical.negative.hash(state);
        canonical.exponent.hash(state);
        for digit in canonical.digits() {
            digit.hash(state);
        }
    }
}

/// The newtype name a form or text deserializer sees; it answers with the text itself.
pub(crate) const AMOUNT_TOKEN: &str = "hookproof::Amount";

impl<'de> Deserialize<'de> for Amount {
    /// From a JSON number (its exact token) or a string holding a decimal.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(AMOUNT_TOKEN, AmountVisitor)
    }
}

struct AmountVisitor;

impl<'de> Visitor<'de> for AmountVisitor {
    type Value = Amount;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal amount")
    }

    /// JSON: the value's raw token, so a number never passes through a float.
    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Amount, D::Error> {
        let invalid = || de::Error::custom("expected a decimal amount");
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        if raw.get().starts_with('"') {
            let text = crate::json::string_value(raw.get()).map_err(|_| invalid())?;
            return Amount::parse(&text).map_err(|_| invalid());
        }
        // A number token: its allocation becomes the amount's, without a copy.
        Amount::from_boxed(raw.into()).map_err(|_| invalid())
    }

    /// Forms and other text formats.
    fn visit_str<E: de::Error>(self, text: &str) -> Result<Amount, E> {
        Amount::parse(text).map_err(|_| E::custom("expected a decimal amount"))
    }
}

#[cfg(feature = "rust_decimal")]
#[cfg_attr(docsrs, doc(cfg(feature = "rust_decimal")))]
impl TryFrom<&Amount> for rust_decimal::Decimal {
    type Error = AmountError;

    /// Exact: fails with [`AmountError::OutOfRange`] beyond `Decimal`'s 28 significant digits.
    fn try_from(amount: &Amount) -> Result<Self, AmountError> {
        let text = amount.as_str();
        let parsed = if text.contains(['e', 'E']) {
            rust_decimal::Decimal::from_scientific(text)
        } else {
            rust_decimal::Decimal::from_str_exact(text)
        };
        parsed.map_err(|_| AmountError::OutOfRange)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(text: &str) -> Amount {
        text.parse().unwrap()
    }

    #[test]
    fn text_is_kept_as_sent() {
        for text in ["50.00", "0.10", "-3", "007.50", "1.5e3", "1E-2"] {
            assert_eq!(amount(text).as_str(), text);
            assert_eq!(amount(text).to_string(), text);
        }
    }

    #[test]
    fn malformed_text_is_refused() {
        for text in [
            "", "-", ".5", "5.", "1.2.3", "1,000", " 1", "1 ", "+1", "NaN", "1e", "1e+", "0x10",
            "١٢",
        ] {
            assert_eq!(
                Amount::parse(text).unwrap_err(),
                AmountError::Invalid,
                "{text:?}"
            );
        }
    }

    #[test]
    fn minor_units_are_exact() {
        assert_eq!(amount("50.00").to_minor_units(2), Ok(5000));
        assert_eq!(amount("12.3").to_minor_units(2), Ok(1230));
        assert_eq!(amount("-0.01").to_minor_units(2), Ok(-1));
        assert_eq!(amount("1000").to_minor_units(0), Ok(1000));
        assert_eq!(amount("1.5e3").to_minor_units(2), Ok(150_000));
        assert_eq!(amount("25e-2").to_minor_units(2), Ok(25));
        assert_eq!(amount("0.000").to_minor_units(2), Ok(0));
        assert_eq!(amount("-0").to_minor_units(2), Ok(0));
        assert_eq!(amount("1.005").to_minor_units(2), Err(AmountError::Inexact));
        assert_eq!(amount("1.0050").to_minor_units(3), Ok(1005));
        assert_eq!(
            amount("92233720368547758.07").to_minor_units(2),
            Ok(i64::MAX)
        );
        assert_eq!(
            amount("92233720368547758.08").to_minor_units(2),
            Err(AmountError::OutOfRange)
        );
        assert_eq!(
            amount("-92233720368547758.08").to_minor_units(2),
            Ok(i64::MIN)
        );
        assert_eq!(
            amount("1e64").to_minor_units(2),
            Err(AmountError::OutOfRange)
        );
        assert_eq!(amount("1e-64").to_minor_units(2), Err(AmountError::Inexact));
        assert_eq!(amount("0e64").to_minor_units(2), Ok(0));
    }

    #[test]
    fn absurd_amounts_are_refused() {
        for text in [
            "1e400",
            "1e65",
            "1e-65",
            "1e999999999999999999999",
            "0e99999",
        ] {
            assert_eq!(
                Amount::parse(text).unwrap_err(),
                AmountError::Invalid,
                "{text}"
            );
        }
        assert!(Amount::parse(&"1".repeat(64)).is_ok());
        assert_eq!(
            Amount::parse(&"1".repeat(65)).unwrap_err(),
            AmountError::Invalid
        );
    }

    #[test]
    fn comparison_is_numeric() {
        assert_eq!(amount("50.0"), amount("50.00"));
        assert_eq!(amount("5e1"), amount("50"));
        assert_eq!(amount("0"), amount("-0.00"));
        assert_eq!(amount("0100"), amount("100"));
        assert!(amount("9.99") < amount("10"));
        assert!(amount("-10") < amount("-9.99"));
        assert!(amount("-0.01") < amount("0"));
        assert!(amount("0.1") > amount("0.09999"));
        assert!(amount("1.05") > amount("1.0"));
        assert!(amount("100") > amount("99.999"));
        let hash = |a: &Amount| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            a.hash(&mut h);
            h.finish()
        };
        assert_eq!(hash(&amount("50.0")), hash(&amount("5e1")));
    }

    #[test]
    fn json_numbers_are_read_from_their_token() {
        #[derive(serde::Deserialize)]
        struct Payload {
            amount: Amount,
            text: Amount,
        }
        let payload: Payload =
            serde_json::from_str(r#"{"amount": 0.10 , "text": "1000.00"}"#).unwrap();
        assert_eq!(payload.amount.as_str(), "0.10");
        assert_eq!(payload.text.as_str(), "1000.00");
        assert!(serde_json::from_str::<Payload>(r#"{"amount":true,"text":"1"}"#).is_err());
        assert!(serde_json::from_str::<Payload>(r#"{"amount":"abc","text":"1"}"#).is_err());
    }

    #[cfg(feature = "rust_decimal")]
    #[test]
    fn converts_exactly_to_rust_decimal() {
        use rust_decimal::Decimal;
        assert_eq!(
            Decimal::try_from(&amount("50.00")).unwrap().to_string(),
            "50.00"
        );
        assert_eq!(
            Decimal::try_from(&amount("1.5e3")).unwrap().to_string(),
            "1500"
        );
    }
}
