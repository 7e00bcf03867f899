-- devices.credentials (compacted, keyed by device): the outbox also carries each device's newest
-- credentials, and a tombstone (no payload) when a device is removed or its user deleted.
ALTER TABLE account_changes_outbox ALTER COLUMN payload DROP NOT NULL;

-- Devices registered before the topic existed: their credentials are published once, oldest first,
-- in the form DeviceCredentialsRecord reads (snake_case JSON, schema_version 1).
INSERT INTO account_changes_outbox (topic, record_key, payload, created_at)
SELECT 'devices.credentials', id::text,
       json_build_object('schema_version', 1, 'device_id', id, 'user_id', user_id, 'public_key', public_key,
                         'device_type', device_type, 'active', revoked_at IS NULL)::text,
       now()
FROM devices
ORDER BY created_at, id;
