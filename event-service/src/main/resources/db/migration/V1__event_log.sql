-- The event log of every user. seq is gapless per user, stream_seq gapless per (user, stream);
-- both are assigned by event-service alone, one record at a time per user.
CREATE TABLE events (
    user_id     uuid        NOT NULL,
    seq         bigint      NOT NULL,
    event_id    uuid        NOT NULL,
    device_id   uuid        NOT NULL,
    device_seq  bigint      NOT NULL,
    stream_id   text        NOT NULL,
    stream_seq  bigint      NOT NULL,
    event_type  text        NOT NULL,
    payload     bytea       NOT NULL,
    expires_at  timestamptz NULL,
    created_at  timestamptz NOT NULL,
    conflict    boolean     NOT NULL,
    CONSTRAINT events_pk PRIMARY KEY (user_id, seq),
    CONSTRAINT events_event_id_uk UNIQUE (user_id, event_id),
    CONSTRAINT events_stream_seq_uk UNIQUE (user_id, stream_id, stream_seq)
);

-- The unique constraint above is the (user_id, stream_id, stream_seq) index.
-- For the retention and TTL purges to come: both delete in bounded batches by these columns.
CREATE INDEX events_created_at_idx ON events (created_at);
CREATE INDEX events_expires_at_idx ON events (expires_at) WHERE expires_at IS NOT NULL;

-- Per-user head: the row lock on it serialises appends of one user, even across a rebalance.
-- The oldest kept seq is min(seq) of events (an index lookup on the primary key), so retention
-- only has to delete rows and never has to keep a second counter in step.
CREATE TABLE user_logs (
    user_id  uuid   NOT NULL PRIMARY KEY,
    head_seq bigint NOT NULL
);

-- Per-stream head.
CREATE TABLE stream_heads (
    user_id         uuid   NOT NULL,
    stream_id       text   NOT NULL,
    head_stream_seq bigint NOT NULL,
    CONSTRAINT stream_heads_pk PRIMARY KEY (user_id, stream_id)
);

-- Per-device position: highest device_seq stored and highest seq acknowledged.
CREATE TABLE device_positions (
    user_id         uuid   NOT NULL,
    device_id       uuid   NOT NULL,
    last_device_seq bigint NOT NULL,
    last_acked_seq  bigint NOT NULL,
    CONSTRAINT device_positions_pk PRIMARY KEY (user_id, device_id)
);
