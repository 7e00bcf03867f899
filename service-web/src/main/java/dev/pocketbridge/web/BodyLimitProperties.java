package dev.pocketbridge.web;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * How much of a request a service reads ({@code pocketbridge.web.body-limits}): the body per route,
 * answered {@code 413 payload_too_large} before it is read, and the shape of the JSON in it
 * (Jackson's {@code StreamReadConstraints}), answered {@code 400 invalid_request}.
 *
 * @param maxBodySize the limit of every route not named in {@code byPath}
 * @param byPath per-route limits: a path pattern ({@code /api/v1/pairing}; in properties written
 *        {@code by-path[/api/v1/pairing]=32KB}) → its largest body
 * @param json the limits of a JSON request body below its size
 */
@Validated
@ConfigurationProperties("pocketbridge.web.body-limits")
public record BodyLimitProperties(
        @NotNull @DefaultValue("16KB") DataSize maxBodySize,
        @NotNull @DefaultValue Map<String, DataSize> byPath,
        @NotNull @Valid @DefaultValue Json json) {

    /**
     * Jackson's read constraints for request bodies; the document length is the largest body limit.
     *
     * @param maxNestingDepth deepest nesting of objects and arrays (PROTOCOL bodies are flat)
     * @param maxStringLength longest string value, in characters (the longest legitimate one, a
     *        pairing code's 8 KiB payload in base64url, has 10,923)
     * @param maxNumberLength longest number, in characters
     * @param maxNameLength longest member name, in characters
     * @param maxTokenCount most tokens in one document
     */
    public record Json(
            @Min(1) @DefaultValue("16") int maxNestingDepth,
            @Min(1) @DefaultValue("12288") int maxStringLength,
            @Min(1) @DefaultValue("32") int maxNumberLength,
            @Min(1) @DefaultValue("128") int maxNameLength,
            @Min(1) @DefaultValue("1024") long maxTokenCount) {
    }
}
