//! A provider configured from the command line, its secrets read from the environment or from
//! files.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use hookproof::cedar::Cedar;
use hookproof::inplayer::InPlayer;
use hookproof::platfone::Platfone;
use hookproof::platnova::Platnova;
use hookproof::testing::{Sample, Sign, SignedRequest};
use hookproof::verify::{HmacSha256, NullSpelling, SharedSecretHeader, SignatureEncoding};
use hookproof::voximplant::Voximplant;
use hookproof::{Error, KeyRing, Secret, testing};
use http::HeaderName;

use crate::UsageError;

/// The five providers.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProviderName {
    Platnova,
    Inplayer,
    Cedar,
    Voximplant,
    Platfone,
}

impl ProviderName {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Platnova => "platnova",
            Self::Inplayer => "inplayer",
            Self::Cedar => "cedar",
            Self::Voximplant => "voximplant",
            Self::Platfone => "platfone",
        }
    }

    pub fn samples(self) -> &'static [Sample] {
        match self {
            Self::Platnova => testing::platnova::SAMPLES,
            Self::Inplayer => testing::inplayer::SAMPLES,
            Self::Cedar => testing::cedar::SAMPLES,
            Self::Voximplant => testing::voximplant::SAMPLES,
            Self::Platfone => testing::platfone::SAMPLES,
        }
    }
}

/// Platfone publishes no scheme: the receiver says which it configured.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlatfoneScheme {
    /// The secret itself in a header.
    SharedSecret,
    /// An HMAC-SHA256 of the body in a header.
    HmacSha256,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Encoding {
    Hex,
    Base64,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Null {
    /// `null` hashed as `null` or as nothing.
    Either,
    /// As `null`.
    Word,
    /// As nothing.
    Empty,
}

/// Which provider, and its secrets. Secrets come from environment variables or files (a final
/// newline in a file is not part of the secret), never from the command line.
#[derive(Args)]
pub struct ProviderArgs {
    /// The provider.
    #[arg(long, value_enum)]
    provider: ProviderName,
    /// Platnova, InPlayer, Cedar, Platfone: the secret is in this environment variable. Give it
    /// again for a rotation; the first one signs.
    #[arg(long = "secret-env", value_name = "VAR")]
    secret_env: Vec<String>,
    /// Platnova, InPlayer, Cedar, Platfone: the secret is in this file (after any
    /// `--secret-env`).
    #[arg(long = "secret-file", value_name = "PATH")]
    secret_file: Vec<PathBuf>,
    /// Voximplant: the callback URL's security salt is in this environment variable.
    #[arg(long, value_name = "VAR", conflicts_with = "salt_file")]
    salt_env: Option<String>,
    /// Voximplant: the salt is in this file.
    #[arg(long, value_name = "PATH")]
    salt_file: Option<PathBuf>,
    /// Voximplant: the account's API key is in this environment variable.
    #[arg(long, value_name = "VAR", conflicts_with = "api_key_file")]
    api_key_env: Option<String>,
    /// Voximplant: the API key is in this file.
    #[arg(long, value_name = "PATH")]
    api_key_file: Option<PathBuf>,
    /// Platfone: the scheme the receiver is configured with.
    #[arg(long, value_enum)]
    scheme: Option<PlatfoneScheme>,
    /// Platfone: the header carrying the secret or the signature.
    #[arg(long, value_name = "NAME")]
    header: Option<String>,
    /// Platfone, HMAC: what the signature starts with (e.g. `sha256=`).
    #[arg(long, default_value = "")]
    prefix: String,
    /// Platfone, HMAC: how the signature is written.
    #[arg(long, value_enum, default_value_t = Encoding::Hex)]
    encoding: Encoding,
    /// Cedar, sign: the fields to list and hash [default: id,status].
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    fields: Vec<String>,
    /// Cedar, verify: how the sender writes a signed `null`.
    #[arg(long, value_enum, default_value_t = Null::Either)]
    null: Null,
}

/// A key, with the name of where it came from as its id.
#[derive(Clone)]
pub struct Key {
    pub id: String,
    pub secret: Secret,
}

/// What the provider verifies with: one ring of secrets, or Voximplant's salt and API key.
#[derive(Clone)]
pub enum Keys {
    Ring(Vec<Key>),
    SaltAndApiKey { salt: Key, api_key: Key },
}

impl Keys {
    /// The same keys with surrounding whitespace trimmed; `None` when none had any.
    pub fn trimmed(&self) -> Option<Keys> {
        let trim = |key: &Key| -> Option<Key> {
            let bytes = key.secret.expose_secret();
            let trimmed = bytes.trim_ascii();
            (trimmed.len() != bytes.len() && !trimmed.is_empty()).then(|| Key {
                id: key.id.clone(),
                secret: Secret::new(trimmed).expect("not empty"),
            })
        };
        match self {
            Self::Ring(keys) => {
                let any = keys.iter().any(|key| trim(key).is_some());
                any.then(|| {
                    Self::Ring(
                        keys.iter()
                            .map(|key| trim(key).unwrap_or_else(|| key.clone()))
                            .collect(),
                    )
                })
            }
            Self::SaltAndApiKey { salt, api_key } => {
                let (new_salt, new_key) = (trim(salt), trim(api_key));
                (new_salt.is_some() || new_key.is_some()).then(|| Self::SaltAndApiKey {
                    salt: new_salt.unwrap_or_else(|| salt.clone()),
                    api_key: new_key.unwrap_or_else(|| api_key.clone()),
                })
            }
        }
    }

    fn ring(&self) -> KeyRing {
        let Self::Ring(keys) = self else {
            unreachable!("a ring is read for every provider but Voximplant")
        };
        let mut keys = keys.iter();
        let first = keys.next().expect("configure reads at least one");
        keys.fold(
            KeyRing::new(first.id.as_str(), first.secret.clone()),
            |ring, key| ring.with(key.id.as_str(), key.secret.clone()),
        )
    }
}

/// A provider ready to verify and sign, with what it was built from.
pub enum Provider {
    Platnova(Platnova),
    InPlayer(InPlayer),
    Cedar(Cedar),
    Voximplant(Voximplant),
    PlatfoneSharedSecret(Platfone<SharedSecretHeader>),
    PlatfoneHmac(Platfone<HmacSha256>),
}

/// The provider, the keys it holds, and the settings to build it again with other keys.
pub struct Configured {
    pub provider: Provider,
    pub keys: Keys,
    name: ProviderName,
    settings: Settings,
}

#[derive(Clone)]
struct Settings {
    scheme: Option<PlatfoneScheme>,
    header: Option<HeaderName>,
    prefix: String,
    encoding: SignatureEncoding,
    fields: Vec<String>,
    null: NullSpelling,
}

impl ProviderArgs {
    pub fn configure(&self) -> Result<Configured, UsageError> {
        let voximplant = self.provider == ProviderName::Voximplant;
        let keys = if voximplant {
            if !self.secret_env.is_empty() || !self.secret_file.is_empty() {
                return Err(UsageError(
                    "Voximplant hashes with a salt and an API key: --salt-env or --salt-file, and \
                     --api-key-env or --api-key-file"
                        .into(),
                ));
            }
            let one = |env: &Option<String>, file: &Option<PathBuf>, what: &str| match (env, file) {
                (Some(variable), _) => from_env(variable),
                (None, Some(path)) => from_file(path),
                (None, None) => Err(UsageError(format!(
                    "Voximplant needs its {what}: --{what}-env VAR or --{what}-file PATH"
                ))),
            };
            Keys::SaltAndApiKey {
                salt: one(&self.salt_env, &self.salt_file, "salt")?,
                api_key: one(&self.api_key_env, &self.api_key_file, "api-key")?,
            }
        } else {
            if self.salt_env.is_some()
                || self.salt_file.is_some()
                || self.api_key_env.is_some()
                || self.api_key_file.is_some()
            {
                return Err(UsageError(format!(
                    "{} takes --secret-env or --secret-file; the salt and API key are Voximplant's",
                    self.provider.as_str()
                )));
            }
            let mut keys = Vec::new();
            for variable in &self.secret_env {
                keys.push(from_env(variable)?);
            }
            for path in &self.secret_file {
                keys.push(from_file(path)?);
            }
            if keys.is_empty() {
                return Err(UsageError(format!(
                    "{} needs its secret: --secret-env VAR or --secret-file PATH (never on the \
                     command line)",
                    self.provider.as_str()
                )));
            }
            Keys::Ring(keys)
        };
        if self.provider == ProviderName::Platfone {
            if self.scheme.is_none() || self.header.is_none() {
                return Err(UsageError(
                    "Platfone publishes no scheme: say which the receiver is configured with, \
                     --scheme shared-secret|hmac-sha256 and --header NAME"
                        .into(),
                ));
            }
        } else if self.scheme.is_some() || self.header.is_some() || !self.prefix.is_empty() {
            return Err(UsageError(format!(
                "--scheme, --header and --prefix are for Platfone; {} has a fixed scheme",
                self.provider.as_str()
            )));
        }
        let header = self
            .header
            .as_deref()
            .map(HeaderName::try_from)
            .transpose()
            .map_err(|_| UsageError("--header is not a valid header name".into()))?;
        let settings = Settings {
            scheme: self.scheme,
            header,
            prefix: self.prefix.clone(),
            encoding: match self.encoding {
                Encoding::Hex => SignatureEncoding::Hex,
                Encoding::Base64 => SignatureEncoding::Base64,
            },
            fields: self.fields.clone(),
            null: match self.null {
                Null::Either => NullSpelling::Either,
                Null::Word => NullSpelling::Word,
                Null::Empty => NullSpelling::Empty,
            },
        };
        Ok(Configured {
            provider: build(self.provider, &keys, &settings),
            keys,
            name: self.provider,
            settings,
        })
    }
}

fn build(name: ProviderName, keys: &Keys, settings: &Settings) -> Provider {
    match name {
        ProviderName::Platnova => Provider::Platnova(Platnova::new(keys.ring())),
        ProviderName::Inplayer => Provider::InPlayer(InPlayer::new(keys.ring())),
        ProviderName::Cedar => Provider::Cedar(Cedar::new(keys.ring()).with_null(settings.null)),
        ProviderName::Voximplant => {
            let Keys::SaltAndApiKey { salt, api_key } = keys else {
                unreachable!("configure reads a salt and an API key for Voximplant")
            };
            Provider::Voximplant(Voximplant::new(salt.secret.clone(), api_key.secret.clone()))
        }
        ProviderName::Platfone => {
            let header = settings.header.clone().expect("configure checks it");
            match settings.scheme.expect("configure checks it") {
                PlatfoneScheme::SharedSecret => Provider::PlatfoneSharedSecret(Platfone::new(
                    SharedSecretHeader::new(header, keys.ring()),
                )),
                PlatfoneScheme::HmacSha256 => Provider::PlatfoneHmac(Platfone::new(
                    HmacSha256::new(header, keys.ring())
                        .with_prefix(settings.prefix.clone())
                        .with_encoding(settings.encoding),
                )),
            }
        }
    }
}

impl Configured {
    pub fn name(&self) -> &'static str {
        self.name.as_str()
    }

    pub fn samples(&self) -> &'static [Sample] {
        self.name.samples()
    }

    /// The same provider with other keys.
    pub fn with_keys(&self, keys: Keys) -> Self {
        Self {
            provider: build(self.name, &keys, &self.settings),
            keys,
            name: self.name,
            settings: self.settings.clone(),
        }
    }

    /// Whether a signed request carries the secret itself (a shared-secret scheme).
    pub fn sends_its_secret(&self) -> bool {
        matches!(
            self.provider,
            Provider::Platnova(_) | Provider::PlatfoneSharedSecret(_)
        )
    }

    /// `body` signed as the provider's sender would, with the first key.
    pub fn sign(&self, body: Vec<u8>) -> Result<SignedRequest, Error> {
        match &self.provider {
            Provider::Platnova(platnova) => platnova.signed_request(body),
            Provider::InPlayer(inplayer) => inplayer.signed_request(body),
            Provider::Cedar(cedar) if !self.settings.fields.is_empty() => {
                let fields: Vec<&str> = self.settings.fields.iter().map(String::as_str).collect();
                testing::cedar::signed_request_with_fields(cedar, body, &fields)
            }
            Provider::Cedar(cedar) => cedar.signed_request(body),
            Provider::Voximplant(voximplant) => voximplant.signed_request(body),
            Provider::PlatfoneSharedSecret(platfone) => platfone.signed_request(body),
            Provider::PlatfoneHmac(platfone) => platfone.signed_request(body),
        }
    }
}

fn from_env(variable: &str) -> Result<Key, UsageError> {
    let value = std::env::var_os(variable)
        .ok_or_else(|| UsageError(format!("the environment variable {variable} is not set")))?;
    let secret = Secret::new(value.into_encoded_bytes())
        .map_err(|_| UsageError(format!("the environment variable {variable} is empty")))?;
    Ok(Key {
        id: variable.to_owned(),
        secret,
    })
}

fn from_file(path: &std::path::Path) -> Result<Key, UsageError> {
    let mut bytes =
        std::fs::read(path).map_err(|error| UsageError(format!("{}: {error}", path.display())))?;
    if bytes.ends_with(b"\n") {
        bytes.pop();
        if bytes.ends_with(b"\r") {
            bytes.pop();
        }
    }
    let secret = Secret::new(bytes)
        .map_err(|_| UsageError(format!("{}: the file holds no secret", path.display())))?;
    Ok(Key {
        id: path.file_name().map_or_else(
            || path.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        ),
        secret,
    })
}
