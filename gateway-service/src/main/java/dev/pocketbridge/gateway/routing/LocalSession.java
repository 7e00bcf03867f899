package dev.pocketbridge.gateway.routing;

import dev.pocketbridge.common.protocol.ServerFrame;

/** An established WebSocket session on this node, as deliveries and presence see it. */
public interface LocalSession {

    String sessionId();

    String userId();

    String deviceId();

    /**
     * When device-service was asked about this session's device during the handshake
     * ({@link System#nanoTime()}): an account change this node learned of at or after that moment
     * may not be reflected in the answer, so the session is closed with 4003 when it registers.
     */
    long checkedAtNanos();

    /** A live event for this device: sent only when its {@code seq} is above the last one sent, dropped if the buffer is full. */
    void deliverLive(ServerFrame.DeliveredEvent event);

    /** The outcome of an event this session sent ({@code event_ack} / {@code event_rejected}); frees its slot. */
    void deliverOutcome(ServerFrame frame);

    /** Stops accepting new events (they are rejected as {@code unavailable}); used while the node shuts down. */
    void drain();

    /** Events of this session still awaiting their outcome. */
    int pendingEvents();

    /** Closes the connection with a close code of PROTOCOL §3.6. */
    void close(int closeCode, String reason);
}
