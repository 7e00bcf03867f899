package dev.pocketbridge.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;

class SessionPropertiesTest {

    private final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

    @Test
    void theDefaultsAreValid() {
        assertThat(validator.validate(bind(Map.of()))).isEmpty();
    }

    @Test
    void theOutboundBufferMustHoldTheLargestFrameAndThePreHandshakeLimitNotPassIt() {
        SessionProperties p = bind(Map.of(
                "pocketbridge.gateway.session.max-frame-bytes", 65536,
                "pocketbridge.gateway.session.outbound-buffer-bytes", 65535,
                "pocketbridge.gateway.session.pre-handshake-frame-bytes", 65537));
        assertThat(validator.validate(p)).extracting(ConstraintViolation::getMessage).containsExactlyInAnyOrder(
                "outbound-buffer-bytes must be at least max-frame-bytes",
                "pre-handshake-frame-bytes must not exceed max-frame-bytes");
    }

    private static SessionProperties bind(Map<String, Object> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("pocketbridge.gateway.session", SessionProperties.class);
    }
}
