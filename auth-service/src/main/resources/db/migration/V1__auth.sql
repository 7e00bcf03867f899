-- Challenges: 32 random bytes, single use, short-lived. Consumption is one DELETE.
CREATE TABLE challenges (
    challenge  text        PRIMARY KEY,
    purpose    text        NOT NULL CHECK (purpose IN ('register', 'token')),
    device_id  uuid,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    CHECK ((purpose = 'token') = (device_id IS NOT NULL))
);
CREATE INDEX challenges_expires_at ON challenges (expires_at);

-- The JWT signing key shared by every instance. At most one active key: the partial unique
-- index makes concurrent first starts race safely (the loser's insert does nothing; it re-reads).
CREATE TABLE signing_keys (
    kid         text        PRIMARY KEY,
    algorithm   text        NOT NULL,
    private_jwk text        NOT NULL,
    active      boolean     NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (active) WHERE active;

-- One family per device login; every rotation adds a token to it.
CREATE TABLE refresh_token_families (
    id         uuid        PRIMARY KEY,
    device_id  uuid        NOT NULL,
    user_id    uuid        NOT NULL,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX refresh_token_families_device ON refresh_token_families (device_id);
CREATE INDEX refresh_token_families_user ON refresh_token_families (user_id);

-- Only the SHA-256 of a refresh token is stored (base64url text). Used tokens stay until they expire so that
-- presenting one again is recognised as reuse.
CREATE TABLE refresh_tokens (
    token_hash text        PRIMARY KEY,
    family_id  uuid        NOT NULL REFERENCES refresh_token_families (id) ON DELETE CASCADE,
    issued_at  timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_expires_at ON refresh_tokens (expires_at);
