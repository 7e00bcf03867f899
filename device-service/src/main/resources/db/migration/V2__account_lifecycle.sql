-- Revocation keeps the admin's reason; tokens_not_before invalidates every access token of the
-- device issued before it (revocation, refresh-token reuse); last_seen_at follows the gateways'
-- presence records.
ALTER TABLE devices
    ADD COLUMN revoke_reason     text,
    ADD COLUMN tokens_not_before timestamptz,
    ADD COLUMN last_seen_at      timestamptz;

-- Written on API use and on the user's events, at most once a minute per user.
ALTER TABLE users ADD COLUMN last_activity_at timestamptz;

-- The device that made a pairing code: its codes die with it.
ALTER TABLE pairing_codes ADD COLUMN created_by uuid REFERENCES devices (id) ON DELETE CASCADE;
CREATE INDEX pairing_codes_created_by ON pairing_codes (created_by);

-- Account changes committed here and not yet on Kafka (transactional outbox): written in the
-- transaction that makes the change, deleted once the broker has the record.
CREATE TABLE account_changes_outbox (
    id         bigserial   PRIMARY KEY,
    topic      text        NOT NULL,
    record_key text        NOT NULL,
    payload    text        NOT NULL,
    created_at timestamptz NOT NULL
);

-- Every admin action, and the fact (nothing more) of each account deletion. When a user is
-- deleted, the ids and reasons of entries about them are cleared.
CREATE TABLE audit_log (
    id         bigserial   PRIMARY KEY,
    at         timestamptz NOT NULL,
    actor      text        NOT NULL,
    action     text        NOT NULL,
    user_id    uuid,
    device_id  uuid,
    request_id text,
    reason     text
);
CREATE INDEX audit_log_user ON audit_log (user_id) WHERE user_id IS NOT NULL;
