package dev.pocketbridge.kafka;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import dev.pocketbridge.common.kafka.Topics;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * The protocol limits that more than one service applies ({@code pocketbridge.limits}), bound once
 * for every service by {@link ServiceKafkaAutoConfiguration}, so that the gateway, which checks a
 * device's frames first and publishes the limits ({@code GET /api/v1/server-info}), and the service
 * behind it, which applies them again, cannot disagree. Here rather than in service-web because
 * the gateway (reactive) has no service-web; and the largest payload is bounded by what a Kafka
 * record holds ({@link Topics#MAX_MESSAGE_BYTES}).
 *
 * @param maxPayloadBytes largest decoded {@code encrypted_payload} of an event (gateway, event-service)
 * @param clockSkew how far in the past an event's {@code expires_at} may be and the event still be
 *        accepted (gateway, event-service)
 * @param replayDefaultLimit events per replay page when the device names no {@code limit}
 *        (gateway, event-service)
 * @param replayMaxLimit the largest {@code limit} a device may ask for (gateway, event-service)
 * @param maxDevicesPerUser active devices a user may have at most (device-service enforces it, the
 *        gateway publishes it)
 */
@ConfigurationProperties("pocketbridge.limits")
@Validated
public record ProtocolLimitsProperties(
        @DefaultValue("1048576") @Min(1) long maxPayloadBytes,
        @DefaultValue("5m") @NotNull Duration clockSkew,
        @DefaultValue("100") @Min(1) int replayDefaultLimit,
        @DefaultValue("1000") @Min(1) @Max(100_000) int replayMaxLimit,
        @DefaultValue("5") @Min(1) int maxDevicesPerUser) {

    /** Room in a Kafka record for everything of an event but its payload (ids, names, origin). */
    static final int ENVELOPE_BYTES = 64 * 1024;

    /** The largest payload, in base64url, with its envelope, fits one Kafka record. */
    @AssertTrue(message = "max-payload-bytes in base64url must fit a Kafka record (Topics.MAX_MESSAGE_BYTES) with its envelope")
    public boolean isMaxPayloadBytesWithinARecord() {
        long base64url = (maxPayloadBytes + 2) / 3 * 4;
        return base64url + ENVELOPE_BYTES <= Topics.MAX_MESSAGE_BYTES;
    }

    @AssertTrue(message = "replay-default-limit must not exceed replay-max-limit")
    public boolean isReplayDefaultLimitAtMostMax() {
        return replayDefaultLimit <= replayMaxLimit;
    }
}
