-- What is left of an erasure (account lifecycle, topics users and devices): for a bounded time
-- (pocketbridge.event.erasure.tombstone-retention, 7 days) the SHA-256 of the erased user's or
-- removed device's id, never the id itself. Events and acks of a user or device still on their
-- way through events.inbound and acks when the erasure ran are refused against these rows
-- instead of writing the user's rows again (docs: event-service/README.md, "Erasure").
-- The hash is sha256 of the lowercase canonical UUID text as UTF-8 (Tombstones.hash).
CREATE TABLE erased_users (
    user_hash bytea       NOT NULL,
    erased_at timestamptz NOT NULL,
    CONSTRAINT erased_users_pk PRIMARY KEY (user_hash),
    CONSTRAINT erased_users_hash_length CHECK (octet_length(user_hash) = 32)
);

CREATE TABLE removed_devices (
    device_hash bytea       NOT NULL,
    removed_at  timestamptz NOT NULL,
    CONSTRAINT removed_devices_pk PRIMARY KEY (device_hash),
    CONSTRAINT removed_devices_hash_length CHECK (octet_length(device_hash) = 32)
);

-- The purge of tombstones past their retention.
CREATE INDEX erased_users_erased_at_idx ON erased_users (erased_at);
CREATE INDEX removed_devices_removed_at_idx ON removed_devices (removed_at);
