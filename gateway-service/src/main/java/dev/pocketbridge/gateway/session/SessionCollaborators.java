package dev.pocketbridge.gateway.session;

import java.time.Clock;

import dev.pocketbridge.common.protocol.EventValidator;
import dev.pocketbridge.common.protocol.FrameCodec;
import dev.pocketbridge.gateway.handshake.DeviceDirectory;
import dev.pocketbridge.gateway.handshake.Handshake;
import dev.pocketbridge.gateway.routing.SessionRegistry;
import dev.pocketbridge.kafka.ProtocolLimitsProperties;

/** What every {@link Connection} of the node shares, made once by the {@link SessionHandler}. */
record SessionCollaborators(Handshake handshake, DeviceDirectory directory, EventServiceClient events,
        InboundPublisher publisher, SessionRegistry registry, EventValidator validator,
        FrameCodec.ClientDecoder decoder, NodeAdmission admission, SessionRateLimits rateLimits,
        OutboundLedger ledger, GatewayMetrics metrics, SessionProperties properties, ProtocolLimitsProperties limits,
        int nodeId, Clock clock) {
}
