package dev.pocketbridge.auth.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.stereotype.Component;

/** Checks an HTTP Basic {@code Authorization} header against the configured admin credentials. */
@Component
class AdminAuthenticator {

    private static final String BASIC = "Basic ";

    private final AdminProperties properties;
    private final DelegatingPasswordEncoder encoder;

    AdminAuthenticator(AdminProperties properties) {
        this.properties = properties;
        this.encoder = (DelegatingPasswordEncoder) PasswordEncoderFactories.createDelegatingPasswordEncoder();
        this.encoder.setDefaultPasswordEncoderForMatches(new BCryptPasswordEncoder());
    }

    boolean enabled() {
        return properties.enabled();
    }

    /** @return the admin user name when the header carries the configured credentials */
    Optional<String> authenticate(String authorization) {
        if (!enabled() || authorization == null || !authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(BASIC.length()).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String username = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        // Both checks always run, so timing does not tell which part was wrong.
        boolean userMatches = constantTimeEquals(username, properties.username());
        boolean passwordMatches = AdminProperties.hasText(properties.passwordHash())
                ? encoder.matches(password, properties.passwordHash())
                : constantTimeEquals(password, properties.password());
        return userMatches && passwordMatches ? Optional.of(properties.username()) : Optional.empty();
    }

    private static boolean constantTimeEquals(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
