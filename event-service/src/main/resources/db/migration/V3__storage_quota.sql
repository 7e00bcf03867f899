-- Per-user storage quota (bytes of stored events) as two counters that only ever grow, so the two
-- writers never wait on each other:
--   user_logs.appended_bytes is written by appends, under the head-row lock they already hold;
--   user_purges.purged_bytes is written by retention purges only, which never lock user_logs.
-- A user's usage is appended_bytes - purged_bytes. An event counts as its payload bytes plus a
-- fixed 256 bytes for the rest of its row and its index entries (EventLog.EVENT_OVERHEAD_BYTES;
-- changing that constant needs a migration that recomputes both counters).
ALTER TABLE user_logs ADD COLUMN appended_bytes bigint NOT NULL DEFAULT 0;

CREATE TABLE user_purges (
    user_id      uuid   NOT NULL PRIMARY KEY,
    purged_bytes bigint NOT NULL
);

-- The events already stored (octet_length reads a stored value's length without fetching it).
UPDATE user_logs l
SET appended_bytes = s.bytes
FROM (SELECT user_id, sum(octet_length(payload) + 256) AS bytes FROM events GROUP BY user_id) s
WHERE l.user_id = s.user_id;
