package dev.pocketbridge.common.protocol;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One page of the event log (§3.4): the body of {@code GET /api/v1/events}, of event-service's
 * internal replay endpoint, and, with {@code type} and {@code request_id}, of {@code replay_response}.
 */
public record ReplayPage(List<ServerFrame.DeliveredEvent> events, boolean hasMore, String continuationToken,
        long throughSeq, long oldestAvailableSeq, @JsonProperty("is_empty") boolean isEmpty) {
}
