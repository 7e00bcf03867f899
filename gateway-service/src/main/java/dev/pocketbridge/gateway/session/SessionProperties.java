package dev.pocketbridge.gateway.session;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Limits of a WebSocket session ({@code pocketbridge.gateway.session}); the client-visible ones
 * are published by {@code GET /api/v1/server-info}, with the protocol limits the services behind the
 * gateway apply too ({@code pocketbridge.limits}: payload size, clock skew, replay limits, devices
 * per user; {@link dev.pocketbridge.kafka.ProtocolLimitsProperties}).
 *
 * @param maxFrameBytes largest message (a frame, or the fragments of one) once the session is
 *        established; a bigger one closes the connection with 1009 as soon as its frame header arrives
 * @param preHandshakeFrameBytes largest message before {@code session_established}; a bigger one
 *        closes with 1009 from its header, unread
 * @param maxFrameDepth deepest JSON nesting of a client frame (a parsing limit)
 * @param maxFrameTokens most JSON tokens in a client frame (a parsing limit)
 * @param maxInflightEvents events of one session awaiting their ack before {@code backpressure}
 * @param maxNodeInflightEvents the most events of all sessions of this node that may await their
 *        outcome at once; the admission limit adapts below it ({@link NodeAdmission})
 * @param admissionInitialLimit the node's admission limit at start-up, until its first half second of
 *        outcomes is measured (small: a just-started node's first events are slow while its JVMs warm up)
 * @param admissionMinLimit the lowest the admission limit goes; never below {@code maxInflightEvents},
 *        so a lone device on a quiet node always has its whole window
 * @param admissionTargetLatency the admission limit is the node's proven rate of outcomes times this
 *        ({@link OutcomeRateLimit}): it keeps the backlog behind this node to about this much work
 *        when devices send more than the system can store, and lets a pause this long pass unshed;
 *        outcomes later than this are what bring the limit down
 * @param ackFlushInterval how long a session coalesces cumulative {@code ack}s before it writes the
 *        newest one to {@code acks}: at most one cursor write per device per interval
 * @param pendingTimeout how long an event waits for its ack before its slot is freed as {@code unavailable}
 * @param retryAfter the {@code retry_after_ms} hint of {@code backpressure} and {@code unavailable}
 * @param outboundBuffer frames queued for a session; a live delivery that does not fit is dropped,
 *        any other frame that does not fit closes the session with 1013
 * @param outboundBufferBytes bytes of frames queued for a session and not yet written to the
 *        network, with the same policy; at least {@code max-frame-bytes}, so any frame fits an empty buffer
 * @param handshakeTimeout time from connect to {@code session_established}, else close 4008
 * @param maxAge lifetime of a session, then close 4001
 * @param expiryWarning how long before the end {@code session_expiring} is sent
 * @param pingInterval how often the server pings each connection
 * @param idleTimeout a connection from which nothing (not even a pong) arrived for this long is closed
 * @param closeTimeout how long a closing connection may take (its close frame delivered, the
 *        client's answer awaited) before it is dropped
 */
@Validated
@ConfigurationProperties("pocketbridge.gateway.session")
public record SessionProperties(
        @Min(1024) @DefaultValue("10485760") int maxFrameBytes,
        @Min(1024) @DefaultValue("16384") int preHandshakeFrameBytes,
        @Min(4) @DefaultValue("16") int maxFrameDepth,
        @Min(64) @DefaultValue("1000") long maxFrameTokens,
        @Min(1) @DefaultValue("100") int maxInflightEvents,
        @Min(1) @DefaultValue("5000") int maxNodeInflightEvents,
        @Min(1) @DefaultValue("100") int admissionInitialLimit,
        @Min(1) @DefaultValue("100") int admissionMinLimit,
        @NotNull @DefaultValue("300ms") Duration admissionTargetLatency,
        @NotNull @DefaultValue("1s") Duration ackFlushInterval,
        @NotNull @DefaultValue("30s") Duration pendingTimeout,
        @NotNull @DefaultValue("1s") Duration retryAfter,
        @Min(1) @DefaultValue("1024") int outboundBuffer,
        @Min(1024) @DefaultValue("16777216") long outboundBufferBytes,
        @NotNull @DefaultValue("30s") Duration handshakeTimeout,
        @NotNull @DefaultValue("24h") Duration maxAge,
        @NotNull @DefaultValue("5m") Duration expiryWarning,
        @NotNull @DefaultValue("30s") Duration pingInterval,
        @NotNull @DefaultValue("60s") Duration idleTimeout,
        @NotNull @DefaultValue("5s") Duration closeTimeout) {

    /** Any frame the server sends must fit an empty outbound buffer. */
    @AssertTrue(message = "outbound-buffer-bytes must be at least max-frame-bytes")
    public boolean isOutboundBufferBytesAtLeastMaxFrameBytes() {
        return outboundBufferBytes >= maxFrameBytes;
    }

    @AssertTrue(message = "pre-handshake-frame-bytes must not exceed max-frame-bytes")
    public boolean isPreHandshakeFrameBytesAtMostMaxFrameBytes() {
        return preHandshakeFrameBytes <= maxFrameBytes;
    }
}
