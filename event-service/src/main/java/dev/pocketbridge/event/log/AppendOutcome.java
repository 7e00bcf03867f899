package dev.pocketbridge.event.log;

import dev.pocketbridge.common.protocol.RejectCode;
import dev.pocketbridge.common.protocol.ServerFrame;

/** What appending one inbound event to the log came to, once its transaction committed. */
public sealed interface AppendOutcome {

    /** The event is in the log: stored now, or already stored by an earlier identical record ({@code duplicate}). */
    record Stored(ServerFrame.DeliveredEvent event, boolean duplicate) implements AppendOutcome {
    }

    /** The event was not stored. */
    record Rejected(RejectCode code, String message) implements AppendOutcome {
    }
}
