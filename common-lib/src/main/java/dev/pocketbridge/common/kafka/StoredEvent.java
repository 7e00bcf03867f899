package dev.pocketbridge.common.kafka;

import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * {@code events.stored}: an event committed to the log. Published at least once: {@code status}
 * is {@code stored} the first time and {@code duplicate} when a resend or a redelivered inbound
 * record finds it already stored; consumers deduplicate by {@code (user_id, event.seq)}.
 */
public record StoredEvent(int schemaVersion, String userId, String status, Origin origin,
        ServerFrame.DeliveredEvent event) {
}
