package dev.pocketbridge.event.analytics;

import java.util.List;

import dev.pocketbridge.common.kafka.InboundEvent;
import dev.pocketbridge.event.log.AppendOutcome;

/**
 * Tells analysts what became of a batch of inbound events ({@code events.analytics}): called once
 * the batch's outcomes are committed and announced. Best effort: it never waits for the broker and
 * never throws, so it can neither delay nor fail an ack.
 */
public interface OutcomeAnalytics {

    /** When {@code pocketbridge.analytics.enabled} is off. */
    OutcomeAnalytics NONE = (batch, outcomes) -> {
    };

    /** @param outcomes the outcome of each event of {@code batch}, in the same order */
    void record(List<InboundEvent> batch, List<AppendOutcome> outcomes);
}
