//! The two wire dialects and the JSON views of clients, sessions and sign-ins in each.
//!
//! * `seed` (the 2021 document): `sign_in_attempt`/`sign_up_attempt`, timestamps in seconds,
//!   small session and user objects, `DELETE /v1/client` answers an empty body.
//! * `current` (the OpenAPI spec): `sign_in`/`sign_up`, timestamps in milliseconds, the full
//!   session (`last_active_token`, `public_user_data`, ...) and user objects.
//!
//! Every view is a struct, so the key order is fixed and equal state gives equal bytes.

use serde::{Serialize, Serializer};

use crate::state::{Client, Session, SessionStatus, Store};
use crate::users::{User, DEFAULT_IMAGE_URL};

/// Which version of the Frontend API the mock speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// The 2021 seed document.
    Seed,
    /// Today's API, per the OpenAPI spec.
    #[default]
    Current,
}

impl Dialect {
    /// Parses `seed` or `current`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "seed" => Some(Self::Seed),
            "current" => Some(Self::Current),
            _ => None,
        }
    }

    /// A timestamp on the wire: seconds for `seed`, milliseconds for `current`.
    pub fn time(self, ms: i64) -> i64 {
        match self {
            Self::Seed => ms.div_euclid(1000),
            Self::Current => ms,
        }
    }
}

/// `{"response": …, "client": …}`.
#[derive(Serialize)]
pub struct Envelope<R: Serialize, C: Serialize> {
    /// The resource asked for.
    pub response: R,
    /// The whole client, piggybacked on mutations.
    pub client: C,
}

/// Serializes as `{}`.
struct EmptyObject;

impl Serialize for EmptyObject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serde::ser::SerializeMap::end(serializer.serialize_map(Some(0))?)
    }
}

/// An always-empty list.
const NONE: [(); 0] = [];

/// What renders views: the dialect, the store (for users) and the time statuses are judged at.
#[derive(Clone, Copy)]
pub struct Renderer<'a> {
    /// Dialect of the output.
    pub dialect: Dialect,
    /// Where users are looked up.
    pub store: &'a Store,
    /// Now, in ms: decides `expired`/`abandoned`.
    pub now: i64,
}

/// A client in either dialect.
#[derive(Serialize)]
#[serde(untagged)]
pub enum ClientView<'a> {
    /// Seed shape.
    Seed(SeedClient<'a>),
    /// Current shape.
    Current(CurrentClient<'a>),
}

/// A session in either dialect.
#[derive(Serialize)]
#[serde(untagged)]
pub enum SessionView<'a> {
    /// Seed shape.
    Seed(Box<SeedSession<'a>>),
    /// Current shape.
    Current(Box<CurrentSession<'a>>),
}

/// Client, seed shape.
#[derive(Serialize)]
pub struct SeedClient<'a> {
    object: &'static str,
    id: &'a str,
    sessions: Vec<SessionView<'a>>,
    sign_in_attempt: Option<()>,
    sign_up_attempt: Option<()>,
    last_active_session_id: Option<&'a str>,
    created_at: i64,
    updated_at: i64,
}

/// Client, current shape.
#[derive(Serialize)]
pub struct CurrentClient<'a> {
    object: &'static str,
    id: &'a str,
    sessions: Vec<SessionView<'a>>,
    sign_in: Option<()>,
    sign_up: Option<()>,
    last_active_session_id: Option<&'a str>,
    cookie_expires_at: Option<i64>,
    captcha_bypass: bool,
    created_at: i64,
    updated_at: i64,
}

/// Session, seed shape.
#[derive(Serialize)]
pub struct SeedSession<'a> {
    object: &'static str,
    id: &'a str,
    status: &'static str,
    expire_at: i64,
    abandon_at: i64,
    last_active_at: i64,
    user: Option<SeedUser<'a>>,
    created_at: i64,
    updated_at: i64,
}

/// Session, current shape.
#[derive(Serialize)]
pub struct CurrentSession<'a> {
    object: &'static str,
    id: &'a str,
    status: &'static str,
    expire_at: i64,
    abandon_at: i64,
    last_active_at: i64,
    last_active_token: Option<TokenView<'a>>,
    last_active_organization_id: Option<()>,
    actor: Option<()>,
    tasks: Option<[Task; 1]>,
    user: Option<CurrentUser<'a>>,
    public_user_data: Option<PublicUserData<'a>>,
    factor_verification_age: [i64; 2],
    created_at: i64,
    updated_at: i64,
}

/// `{"object":"token","jwt":…}`.
#[derive(Serialize)]
pub struct TokenView<'a> {
    /// Always `token`.
    pub object: &'static str,
    /// The JWT.
    pub jwt: &'a str,
}

/// A session task (`pending` sessions have one).
#[derive(Serialize)]
pub struct Task {
    key: &'static str,
}

/// `public_user_data` of a session.
#[derive(Serialize)]
pub struct PublicUserData<'a> {
    first_name: &'a str,
    last_name: &'a str,
    image_url: &'static str,
    has_image: bool,
    identifier: &'a str,
    profile_image_url: &'static str,
    user_id: &'a str,
}

/// User, seed shape.
#[derive(Serialize)]
pub struct SeedUser<'a> {
    id: &'a str,
    object: &'static str,
    username: &'a str,
    first_name: &'a str,
    last_name: &'a str,
    gender: &'static str,
    birthday: &'static str,
    profile_image_url: &'static str,
    primary_email_address_id: &'a str,
    primary_phone_number_id: Option<()>,
    password_enabled: bool,
    two_factor_enabled: bool,
    email_addresses: [EmailView<'a>; 1],
    phone_numbers: [(); 0],
    external_accounts: [(); 0],
    public_metadata: EmptyObject,
    created_at: i64,
    updated_at: i64,
}

/// User, current shape.
#[derive(Serialize)]
pub struct CurrentUser<'a> {
    id: &'a str,
    object: &'static str,
    username: &'a str,
    first_name: &'a str,
    last_name: &'a str,
    image_url: &'static str,
    has_image: bool,
    primary_email_address_id: &'a str,
    primary_phone_number_id: Option<()>,
    primary_web3_wallet_id: Option<()>,
    password_enabled: bool,
    two_factor_enabled: bool,
    totp_enabled: bool,
    backup_code_enabled: bool,
    email_addresses: [EmailView<'a>; 1],
    phone_numbers: [(); 0],
    web3_wallets: [(); 0],
    passkeys: [(); 0],
    organization_memberships: [(); 0],
    external_accounts: [(); 0],
    saml_accounts: [(); 0],
    enterprise_accounts: [(); 0],
    password_last_updated_at: Option<i64>,
    public_metadata: EmptyObject,
    unsafe_metadata: EmptyObject,
    external_id: Option<()>,
    last_sign_in_at: Option<i64>,
    banned: bool,
    locked: bool,
    lockout_expires_in_seconds: Option<()>,
    verification_attempts_remaining: Option<i64>,
    created_at: i64,
    updated_at: i64,
    delete_self_enabled: bool,
    create_organization_enabled: bool,
    create_organizations_limit: i64,
    last_active_at: Option<()>,
    mfa_enabled_at: Option<()>,
    mfa_disabled_at: Option<()>,
    legal_accepted_at: Option<()>,
    profile_image_url: &'static str,
}

/// An email address (both dialects; `current` adds a few fields).
#[derive(Serialize)]
pub struct EmailView<'a> {
    id: &'a str,
    object: &'static str,
    email_address: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reserved: Option<bool>,
    verification: Verification,
    linked_to: [(); 0],
    #[serde(skip_serializing_if = "Option::is_none")]
    matches_sso_connection: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    updated_at: Option<i64>,
}

/// A verification stub.
#[derive(Serialize)]
pub struct Verification {
    #[serde(skip_serializing_if = "Option::is_none")]
    object: Option<&'static str>,
    status: &'static str,
    strategy: &'static str,
    attempts: Option<i64>,
    expire_at: Option<i64>,
}

/// A completed password sign-in (same shape in both dialects, times per dialect).
#[derive(Serialize)]
pub struct SignInView<'a> {
    object: &'static str,
    id: &'a str,
    status: &'static str,
    supported_identifiers: [&'static str; 2],
    supported_first_factors: [FactorView; 1],
    supported_second_factors: Option<()>,
    first_factor_verification: Verification,
    second_factor_verification: Option<()>,
    identifier: &'a str,
    user_data: UserData<'a>,
    created_session_id: &'a str,
    abandon_at: i64,
}

/// A sign-in factor.
#[derive(Serialize)]
pub struct FactorView {
    strategy: &'static str,
}

/// `user_data` of a sign-in.
#[derive(Serialize)]
pub struct UserData<'a> {
    first_name: &'a str,
    last_name: &'a str,
    image_url: &'static str,
    has_image: bool,
    profile_image_url: &'static str,
}

/// How long a sign-in attempt stays around.
const SIGN_IN_ABANDON_MS: i64 = 24 * 3600 * 1000;

impl<'a> Renderer<'a> {
    fn t(&self, ms: i64) -> i64 {
        self.dialect.time(ms)
    }

    /// The client in this dialect.
    pub fn client(&self, client: &'a Client) -> ClientView<'a> {
        let sessions = client.sessions.iter().map(|s| self.session(s)).collect();
        let last_active_session_id = client.last_active_session_id.as_deref();
        match self.dialect {
            Dialect::Seed => ClientView::Seed(SeedClient {
                object: "client",
                id: &client.id,
                sessions,
                sign_in_attempt: None,
                sign_up_attempt: None,
                last_active_session_id,
                created_at: self.t(client.created_at),
                updated_at: self.t(client.updated_at),
            }),
            Dialect::Current => ClientView::Current(CurrentClient {
                object: "client",
                id: &client.id,
                sessions,
                sign_in: None,
                sign_up: None,
                last_active_session_id,
                cookie_expires_at: Some(self.t(client.cookie_expires_at)),
                captcha_bypass: false,
                created_at: self.t(client.created_at),
                updated_at: self.t(client.updated_at),
            }),
        }
    }

    /// The session in this dialect, with its status as of `now`.
    pub fn session(&self, session: &'a Session) -> SessionView<'a> {
        let status = session.effective_status(self.now);
        let user = self.store.user(&session.user_id);
        match self.dialect {
            Dialect::Seed => SessionView::Seed(Box::new(SeedSession {
                object: "session",
                id: &session.id,
                status: status.as_str(),
                expire_at: self.t(session.expire_at),
                abandon_at: self.t(session.abandon_at),
                last_active_at: self.t(session.last_active_at),
                user: user.map(|u| self.seed_user(u)),
                created_at: self.t(session.created_at),
                updated_at: self.t(session.updated_at),
            })),
            Dialect::Current => SessionView::Current(Box::new(CurrentSession {
                object: "session",
                id: &session.id,
                status: status.as_str(),
                expire_at: self.t(session.expire_at),
                abandon_at: self.t(session.abandon_at),
                last_active_at: self.t(session.last_active_at),
                last_active_token: status.is_signed_in().then_some(TokenView {
                    object: "token",
                    jwt: &session.token,
                }),
                last_active_organization_id: None,
                actor: None,
                tasks: (status == SessionStatus::Pending).then_some([Task {
                    key: "choose-organization",
                }]),
                user: user.map(|u| self.current_user(u)),
                public_user_data: user.map(public_user_data),
                factor_verification_age: [0, -1],
                created_at: self.t(session.created_at),
                updated_at: self.t(session.updated_at),
            })),
        }
    }

    /// A completed sign-in attempt `id` of `user` with `identifier`, created at `now`.
    pub fn sign_in(
        &self,
        id: &'a str,
        identifier: &'a str,
        user: &'a User,
        session_id: &'a str,
    ) -> SignInView<'a> {
        SignInView {
            object: "sign_in_attempt",
            id,
            status: "complete",
            supported_identifiers: ["email_address", "username"],
            supported_first_factors: [FactorView {
                strategy: "password",
            }],
            supported_second_factors: None,
            first_factor_verification: Verification {
                object: (self.dialect == Dialect::Current).then_some("verification_password"),
                status: "verified",
                strategy: "password",
                attempts: Some(1),
                expire_at: None,
            },
            second_factor_verification: None,
            identifier,
            user_data: UserData {
                first_name: &user.first_name,
                last_name: &user.last_name,
                image_url: DEFAULT_IMAGE_URL,
                has_image: false,
                profile_image_url: DEFAULT_IMAGE_URL,
            },
            created_session_id: session_id,
            abandon_at: self.t(self.now + SIGN_IN_ABANDON_MS),
        }
    }

    fn email(&self, user: &'a User) -> EmailView<'a> {
        let current = self.dialect == Dialect::Current;
        EmailView {
            id: &user.email_id,
            object: "email_address",
            email_address: &user.email,
            reserved: current.then_some(false),
            verification: Verification {
                object: current.then_some("verification_otp"),
                status: "verified",
                strategy: "email_code",
                attempts: Some(1),
                expire_at: Some(self.t(user.created_at + 600_000)),
            },
            linked_to: NONE,
            matches_sso_connection: current.then_some(false),
            created_at: current.then_some(self.t(user.created_at)),
            updated_at: current.then_some(self.t(user.created_at)),
        }
    }

    fn seed_user(&self, user: &'a User) -> SeedUser<'a> {
        SeedUser {
            id: &user.id,
            object: "user",
            username: &user.username,
            first_name: &user.first_name,
            last_name: &user.last_name,
            gender: "",
            birthday: "",
            profile_image_url: DEFAULT_IMAGE_URL,
            primary_email_address_id: &user.email_id,
            primary_phone_number_id: None,
            password_enabled: true,
            two_factor_enabled: false,
            email_addresses: [self.email(user)],
            phone_numbers: NONE,
            external_accounts: NONE,
            public_metadata: EmptyObject,
            created_at: self.t(user.created_at),
            updated_at: self.t(user.updated_at),
        }
    }

    fn current_user(&self, user: &'a User) -> CurrentUser<'a> {
        CurrentUser {
            id: &user.id,
            object: "user",
            username: &user.username,
            first_name: &user.first_name,
            last_name: &user.last_name,
            image_url: DEFAULT_IMAGE_URL,
            has_image: false,
            primary_email_address_id: &user.email_id,
            primary_phone_number_id: None,
            primary_web3_wallet_id: None,
            password_enabled: true,
            two_factor_enabled: false,
            totp_enabled: false,
            backup_code_enabled: false,
            email_addresses: [self.email(user)],
            phone_numbers: NONE,
            web3_wallets: NONE,
            passkeys: NONE,
            organization_memberships: NONE,
            external_accounts: NONE,
            saml_accounts: NONE,
            enterprise_accounts: NONE,
            password_last_updated_at: Some(self.t(user.created_at)),
            public_metadata: EmptyObject,
            unsafe_metadata: EmptyObject,
            external_id: None,
            last_sign_in_at: Some(self.t(user.updated_at)),
            banned: false,
            locked: false,
            lockout_expires_in_seconds: None,
            verification_attempts_remaining: Some(100),
            created_at: self.t(user.created_at),
            updated_at: self.t(user.updated_at),
            delete_self_enabled: true,
            create_organization_enabled: true,
            create_organizations_limit: 0,
            last_active_at: None,
            mfa_enabled_at: None,
            mfa_disabled_at: None,
            legal_accepted_at: None,
            profile_image_url: DEFAULT_IMAGE_URL,
        }
    }
}

fn public_user_data(user: &User) -> PublicUserData<'_> {
    PublicUserData {
        first_name: &user.first_name,
        last_name: &user.last_name,
        image_url: DEFAULT_IMAGE_URL,
        has_image: false,
        identifier: &user.email,
        profile_image_url: DEFAULT_IMAGE_URL,
        user_id: &user.id,
    }
}
