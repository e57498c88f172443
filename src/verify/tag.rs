//! Received signatures, decoded to a fixed length and compared in constant time.
//!
//! A signature is decoded before it is compared, so a wrong length or a bad character is its own
//! error and never reaches the comparison; the comparison itself goes through `subtle`.

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use subtle::ConstantTimeEq;

use crate::error::SignatureProblem;

/// How a signature is written as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SignatureEncoding {
    /// Hexadecimal, upper or lower case.
    #[default]
    Hex,
    /// Standard base64 (RFC 4648 §4), with or without padding.
    Base64,
}

/// Standard alphabet; padding optional, since senders differ and it carries no information.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A received signature of exactly `N` bytes. Equality with a computed digest is constant time.
pub(crate) struct Tag<const N: usize>([u8; N]);

impl<const N: usize> Tag<N> {
    /// Wraps bytes that are already a digest, such as the hash of a presented secret.
    pub(crate) fn new(bytes: [u8; N]) -> Self {
        Self(bytes)
    }

    pub(crate) fn decode(
        text: &str,
        encoding: SignatureEncoding,
    ) -> Result<Self, SignatureProblem> {
        match encoding {
            SignatureEncoding::Hex => Self::from_hex(text),
            SignatureEncoding::Base64 => Self::from_base64(text),
        }
    }

    pub(crate) fn from_hex(text: &str) -> Result<Self, SignatureProblem> {
        if text.len() != 2 * N {
            return Err(SignatureProblem::HexLength {
                found: text.chars().count(),
                expected: 2 * N,
            });
        }
        let mut bytes = [0; N];
        hex::decode_to_slice(text, &mut bytes).map_err(|_| SignatureProblem::NotHex)?;
        Ok(Self(bytes))
    }

    fn from_base64(text: &str) -> Result<Self, SignatureProblem> {
        // Room for any input up to twice the expected size, so a long input reports its decoded
        // length instead of failing on buffer space; longer ones are refused before decoding.
        let mut buffer = [0u8; 128];
        let room = buffer.len().min(2 * N + 3);
        if text.len() > room.div_ceil(3) * 4 {
            return Err(SignatureProblem::Base64Length {
                found: text.len() / 4 * 3,
                expected: N,
            });
        }
        let len = BASE64
            .decode_slice(text, &mut buffer[..room])
            .map_err(|_| SignatureProblem::NotBase64)?;
        let bytes: [u8; N] =
            buffer[..len]
                .try_into()
                .map_err(|_| SignatureProblem::Base64Length {
                    found: len,
                    expected: N,
                })?;
        Ok(Self(bytes))
    }

    /// Compares with a digest computed from a secret, in time independent of where they differ.
    pub(crate) fn matches(&self, computed: &[u8; N]) -> bool {
        self.0.ct_eq(computed).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_case_insensitive_and_exact_length() {
        let lower = Tag::<2>::from_hex("ab0f").unwrap();
        assert!(lower.matches(&[0xab, 0x0f]));
        assert!(Tag::<2>::from_hex("AB0F").unwrap().matches(&[0xab, 0x0f]));
        assert!(!lower.matches(&[0xab, 0x0e]));
        assert_eq!(
            Tag::<2>::from_hex("ab0").err(),
            Some(SignatureProblem::HexLength {
                found: 3,
                expected: 4
            })
        );
        assert_eq!(
            Tag::<2>::from_hex("ab0g").err(),
            Some(SignatureProblem::NotHex)
        );
        assert_eq!(
            Tag::<2>::from_hex("").err(),
            Some(SignatureProblem::HexLength {
                found: 0,
                expected: 4
            })
        );
    }

    #[test]
    fn base64_accepts_padding_either_way_and_checks_length() {
        // base64 of [0xde, 0xad, 0xbe] is "3q2+"; of [0xde, 0xad] is "3q0=".
        assert!(
            Tag::<3>::from_base64("3q2+")
                .unwrap()
                .matches(&[0xde, 0xad, 0xbe])
        );
        assert!(
            Tag::<2>::from_base64("3q0=")
                .unwrap()
                .matches(&[0xde, 0xad])
        );
        assert!(Tag::<2>::from_base64("3q0").unwrap().matches(&[0xde, 0xad]));
        assert_eq!(
            Tag::<2>::from_base64("3q2+").err(),
            Some(SignatureProblem::Base64Length {
                found: 3,
                expected: 2
            })
        );
        assert_eq!(
            Tag::<2>::from_base64("3q0*").err(),
            Some(SignatureProblem::NotBase64)
        );
        assert!(matches!(
            Tag::<32>::from_base64(&"A".repeat(10_000)).err(),
            Some(SignatureProblem::Base64Length { .. })
        ));
    }
}
