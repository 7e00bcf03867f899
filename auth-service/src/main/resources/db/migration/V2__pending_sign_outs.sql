-- Sign-outs at device-service that a refresh-token reuse asked for and device-service has not
-- confirmed yet. Written in the transaction that revokes the device's refresh tokens, deleted once
-- device-service answered 204 (or 404: the device is gone); retried until then. One row per device:
-- a newer reuse moves requested_at, so a confirmation of an older attempt does not delete it.
CREATE TABLE pending_sign_outs (
    device_id    uuid        PRIMARY KEY,
    user_id      uuid        NOT NULL,
    requested_at timestamptz NOT NULL,
    attempts     integer     NOT NULL DEFAULT 0
);
CREATE INDEX pending_sign_outs_user ON pending_sign_outs (user_id);
