package dev.pocketbridge.gateway.edge;

import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.gateway.handshake.Handshake;
import dev.pocketbridge.gateway.identity.ServerIdentity;
import dev.pocketbridge.gateway.session.SessionProperties;
import dev.pocketbridge.kafka.ProtocolLimitsProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** {@code GET /api/v1/server-info}: the key clients pin and the limits they must respect (PROTOCOL §2.1). */
@RestController
@Tag(name = "Server")
class ServerInfoController {

    /** The response body. */
    record ServerInfo(String serverIdentityPub, List<Integer> protocolVersions, long maxFrameBytes, Limits limits) {
    }

    /** The client-visible limits. */
    record Limits(long maxPayloadBytes, int maxInflightEvents, int replayDefaultLimit, int replayMaxLimit,
            int maxDevicesPerUser, long clockSkewMs, long handshakeTimeoutMs, long sessionMaxAgeMs,
            int preHandshakeFrameBytes) {
    }

    private final String body;

    ServerInfoController(ServerIdentity identity, SessionProperties p, ProtocolLimitsProperties limits) {
        this.body = Json.write(new ServerInfo(identity.publicKey(), List.of(Handshake.PROTOCOL_VERSION),
                p.maxFrameBytes(), new Limits(limits.maxPayloadBytes(), p.maxInflightEvents(),
                        limits.replayDefaultLimit(), limits.replayMaxLimit(), limits.maxDevicesPerUser(),
                        limits.clockSkew().toMillis(), p.handshakeTimeout().toMillis(), p.maxAge().toMillis(),
                        p.preHandshakeFrameBytes())));
    }

    @GetMapping(path = "/api/v1/server-info", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "serverInfo", summary = "The server identity key to pin and the limits clients respect")
    @ApiResponse(responseCode = "200", description = "OK", content = @Content(schema = @Schema(implementation = ServerInfo.class)))
    ResponseEntity<String> serverInfo() {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }
}
