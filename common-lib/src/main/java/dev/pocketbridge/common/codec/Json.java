package dev.pocketbridge.common.codec;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON configuration of the wire and of Kafka payloads: {@code snake_case} names, absent
 * optional members left out, unknown members ignored so that newer peers can add fields.
 */
public final class Json {

    private static final JsonMapper MAPPER = configure(JsonMapper.builder()).build();

    private Json() {
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }

    /** Applies the PocketBridge settings to a builder, so a Spring-managed mapper can share them. */
    public static JsonMapper.Builder configure(JsonMapper.Builder builder) {
        return builder
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** Reads {@code json} as {@code type}; throws {@link tools.jackson.core.JacksonException} when it cannot. */
    public static <T> T read(String json, Class<T> type) {
        return MAPPER.readValue(json, type);
    }
}
