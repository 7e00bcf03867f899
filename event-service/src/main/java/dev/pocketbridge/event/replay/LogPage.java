package dev.pocketbridge.event.replay;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.pocketbridge.common.protocol.ReplayPage;
import dev.pocketbridge.event.log.LoggedEvent;

/**
 * One page of the log as {@link ReplayService} reads it: the members of {@link ReplayPage} with the
 * log's rows as its events. Written by the wire's mapper it is the same JSON as {@link #toReplayPage()}
 * (each row writes itself as its {@code DeliveredEvent}), without a string per payload on the way:
 * the internal replay endpoint, which serves every catch-up, writes it so.
 */
record LogPage(List<LoggedEvent> events, boolean hasMore, String continuationToken, long throughSeq,
        long oldestAvailableSeq, @JsonProperty("is_empty") boolean isEmpty) {

    ReplayPage toReplayPage() {
        return new ReplayPage(events.stream().map(LoggedEvent::toDelivered).toList(), hasMore, continuationToken,
                throughSeq, oldestAvailableSeq, isEmpty);
    }
}
