-- A user is nothing but the owner of devices; it is created with its first device.
CREATE TABLE users (
    id         uuid        PRIMARY KEY,
    created_at timestamptz NOT NULL
);

-- name_key is the case-folded device_name: names are unique within a user, case-insensitively.
-- public_key is base64url text (43 characters), registered once across all users.
CREATE TABLE devices (
    id          uuid        PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    public_key  text        NOT NULL,
    device_name text        NOT NULL,
    name_key    text        NOT NULL,
    device_type text        NOT NULL CHECK (device_type IN ('mobile', 'desktop', 'web')),
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz,
    CONSTRAINT devices_public_key_unique UNIQUE (public_key),
    CONSTRAINT devices_user_name_unique UNIQUE (user_id, name_key)
);

-- Only the SHA-256 (base64url) of a normalised pairing code is stored. A lookup deletes the row.
CREATE TABLE pairing_codes (
    code_hash         text        PRIMARY KEY,
    user_id           uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    encrypted_payload text        NOT NULL,
    created_at        timestamptz NOT NULL,
    expires_at        timestamptz NOT NULL
);
CREATE INDEX pairing_codes_expires_at ON pairing_codes (expires_at);
CREATE INDEX pairing_codes_user ON pairing_codes (user_id);

-- Only the SHA-256 (base64url) of a pairing token is stored. Registration deletes the row.
CREATE TABLE pairing_tokens (
    token_hash text        PRIMARY KEY,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX pairing_tokens_expires_at ON pairing_tokens (expires_at);
CREATE INDEX pairing_tokens_user ON pairing_tokens (user_id);
