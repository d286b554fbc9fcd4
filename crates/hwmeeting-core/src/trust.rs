//! The extra root certificates a client trusts besides the public web
//! roots: read once here, so both transports accept the same input and
//! report the same errors.

use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

use crate::error::Error;

/// The certificates of the caller's PEM texts (`-----BEGIN CERTIFICATE-----`
/// blocks; other blocks are skipped), in order. Every text must hold at
/// least one. The first text is `#1` in errors.
pub fn extra_root_certificates(pems: &[Vec<u8>]) -> Result<Vec<CertificateDer<'static>>, Error> {
    let mut out = Vec::new();
    for (index, pem) in pems.iter().enumerate() {
        let which = index + 1;
        let before = out.len();
        for cert in CertificateDer::pem_slice_iter(pem) {
            out.push(cert.map_err(|e| {
                Error::Config(format!(
                    "root certificate #{which} is not valid PEM ({e}): pass the CA certificate as PEM text (-----BEGIN CERTIFICATE-----)"
                ))
            })?);
        }
        if out.len() == before {
            return Err(Error::Config(format!(
                "root certificate #{which} holds no PEM certificate: pass the CA certificate as PEM text (-----BEGIN CERTIFICATE-----)"
            )));
        }
    }
    Ok(out)
}

/// The error for a certificate the TLS library will not take as a trust
/// anchor (`reason` is its word).
pub fn unusable_root(reason: impl std::fmt::Display) -> Error {
    Error::Config(format!(
        "a root certificate cannot be trusted as a CA ({reason}): pass the certificate of the CA itself"
    ))
}

/// The TLS crypto provider of both clients: aws-lc-rs with the `aws-lc-rs`
/// feature, else ring. Always this one, never whatever provider the
/// process installed.
#[cfg(any(feature = "ring", feature = "aws-lc-rs"))]
pub fn crypto_provider() -> std::sync::Arc<rustls::crypto::CryptoProvider> {
    #[cfg(feature = "aws-lc-rs")]
    let provider = rustls::crypto::aws_lc_rs::default_provider();
    #[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
    let provider = rustls::crypto::ring::default_provider();
    std::sync::Arc::new(provider)
}

/// The error for a `User-Agent` that cannot travel in a header.
pub fn bad_user_agent() -> Error {
    Error::Config("user_agent holds characters that cannot travel in an HTTP header".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_texts_must_hold_certificates() {
        assert!(extra_root_certificates(&[]).unwrap().is_empty());
        let err = extra_root_certificates(&[b"not a certificate".to_vec()]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "configuration: root certificate #1 holds no PEM certificate: pass the CA certificate as PEM text (-----BEGIN CERTIFICATE-----)"
        );
        let broken = b"-----BEGIN CERTIFICATE-----\n%%%%\n-----END CERTIFICATE-----\n".to_vec();
        let err = extra_root_certificates(&[broken]).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("configuration: root certificate #1 is not valid PEM"),
            "{err}"
        );
    }
}
