package dev.pocketbridge.gateway.limits;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * The largest request body the edge forwards ({@code pocketbridge.gateway.body-limits}); a larger
 * one is answered {@code 413 payload_too_large} before it is read.
 *
 * @param maxBodySize the limit of every route not named in {@code byPath}; every REST body of
 *        PROTOCOL §2 is far below it (the largest, a pairing code's 8 KiB payload, is about 11 KB of JSON)
 * @param byPath per-route limits: a path pattern ({@code /api/v1/pairing}, {@code /api/v1/devices/**};
 *        in properties written as {@code by-path[/api/v1/pairing]=32KB}) → its largest body
 */
@Validated
@ConfigurationProperties("pocketbridge.gateway.body-limits")
record BodyLimitProperties(
        @NotNull @DefaultValue("16KB") DataSize maxBodySize,
        @NotNull @DefaultValue Map<String, DataSize> byPath) {
}
