-- A device's acknowledged position lives apart from its append position: the acks listener
-- writes cursors and the inbound listener writes last_device_seq, so neither ever waits on the
-- other's row locks (they did under load: the same device_positions rows in both transactions).
CREATE TABLE device_cursors (
    user_id        uuid   NOT NULL,
    device_id      uuid   NOT NULL,
    last_acked_seq bigint NOT NULL,
    CONSTRAINT device_cursors_pk PRIMARY KEY (user_id, device_id)
);

INSERT INTO device_cursors (user_id, device_id, last_acked_seq)
SELECT user_id, device_id, last_acked_seq FROM device_positions WHERE last_acked_seq > 0;

ALTER TABLE device_positions DROP COLUMN last_acked_seq;
