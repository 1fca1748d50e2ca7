//! The seeded users that can sign in with a password.

/// A user known to the mock. Users are fixed for the life of the server.
#[derive(Debug, Clone)]
pub struct User {
    /// `user_…` id.
    pub id: String,
    /// Login name.
    pub username: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// The one (primary, verified) email address.
    pub email: String,
    /// `idn_…` id of the email address.
    pub email_id: String,
    /// The password accepted by `strategy=password`.
    pub password: String,
    /// Creation time, ms since the epoch.
    pub created_at: i64,
    /// Last update time, ms since the epoch.
    pub updated_at: i64,
}

/// Image URL used for every user (no custom image).
pub const DEFAULT_IMAGE_URL: &str = "https://www.gravatar.com/avatar?d=mp";

impl User {
    /// Whether `identifier` (email address, case-insensitive, or username) names this user.
    pub fn matches(&self, identifier: &str) -> bool {
        let identifier = identifier.trim();
        self.email.eq_ignore_ascii_case(identifier) || self.username == identifier
    }
}

/// The seeded users: `boss@clerk.dev` / `boss` / `boss-password-1` (Boss Clerk) and
/// `ada@example.com` / `ada` / `ada-password-1` (Ada Lovelace).
///
/// Their ids are fixed so that tests and demos can rely on them.
pub fn seeded_users() -> Vec<User> {
    vec![
        User {
            id: "user_1n5AY2RXJyBGhGLAhdEffaOCpFJ".into(),
            username: "boss".into(),
            first_name: "Boss".into(),
            last_name: "Clerk".into(),
            email: "boss@clerk.dev".into(),
            email_id: "idn_1n5AVtYAHNQY73d6dY6GVJt8gmD".into(),
            password: "boss-password-1".into(),
            created_at: 1_610_669_621_000,
            updated_at: 1_619_787_935_000,
        },
        User {
            id: "user_2AdaLovelace1815AnalyticEng".into(),
            username: "ada".into(),
            first_name: "Ada".into(),
            last_name: "Lovelace".into(),
            email: "ada@example.com".into(),
            email_id: "idn_2AdaEmailAddressNote1843Gxy".into(),
            password: "ada-password-1".into(),
            created_at: 1_620_000_000_000,
            updated_at: 1_620_000_000_000,
        },
    ]
}
