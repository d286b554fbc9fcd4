//! The simulator's certificates: a certificate authority made at start, and
//! a server certificate for `localhost`, `127.0.0.1` and `::1` signed by
//! it. A client trusts the simulator by adding the authority's PEM as a
//! root; hostname verification stays on.

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::TlsAcceptor;

use crate::SimError;

/// Names the server certificate is valid for.
pub const SERVER_NAMES: &[&str] = &["localhost", "127.0.0.1", "::1"];

/// A freshly made authority and server certificate.
pub(crate) struct Certificates {
    /// The authority's certificate, PEM: what clients trust.
    pub ca_pem: String,
    /// The TLS acceptor serving the server certificate.
    pub acceptor: TlsAcceptor,
}

fn tls_err(what: &str) -> impl FnOnce(rcgen::Error) -> SimError + '_ {
    move |e| SimError::Tls(format!("{what}: {e}"))
}

/// Makes a new authority and server certificate, and the TLS set-up that
/// serves them (TLS 1.2 and 1.3, HTTP/1.1 by ALPN, ring crypto).
pub(crate) fn make() -> Result<Certificates, SimError> {
    let ca_key = KeyPair::generate().map_err(tls_err("CA key"))?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(tls_err("CA"))?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "hwmeeting-sim test CA");
    ca_params
        .distinguished_name
        .push(DnType::OrganizationName, "hwmeeting-sim");
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca_params
        .self_signed(&ca_key)
        .map_err(tls_err("CA certificate"))?;
    let issuer = Issuer::new(ca_params, ca_key);

    let leaf_key = KeyPair::generate().map_err(tls_err("server key"))?;
    let names: Vec<String> = SERVER_NAMES.iter().map(|s| (*s).to_owned()).collect();
    let mut leaf_params = CertificateParams::new(names).map_err(tls_err("server"))?;
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    leaf_params.is_ca = IsCa::ExplicitNoCa;
    leaf_params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    leaf_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    leaf_params.use_authority_key_identifier_extension = true;
    let leaf_cert = leaf_params
        .signed_by(&leaf_key, &issuer)
        .map_err(tls_err("server certificate"))?;

    let chain: Vec<CertificateDer<'static>> = vec![leaf_cert.der().clone(), ca_cert.der().clone()];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| SimError::Tls(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| SimError::Tls(e.to_string()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Certificates {
        ca_pem: ca_cert.pem(),
        acceptor: TlsAcceptor::from(Arc::new(config)),
    })
}
