package dev.pocketbridge.auth.admin;

import java.util.Optional;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.stereotype.Component;

import dev.pocketbridge.auth.BasicCredentials;

/** Checks an HTTP Basic {@code Authorization} header against the configured admin credentials. */
@Component
class AdminAuthenticator {

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
        if (!enabled()) {
            return Optional.empty();
        }
        return BasicCredentials.parse(authorization).filter(this::matches).map(c -> properties.username());
    }

    private boolean matches(BasicCredentials given) {
        // Both checks always run, so timing does not tell which part was wrong.
        boolean userMatches = BasicCredentials.constantTimeEquals(given.username(), properties.username());
        boolean passwordMatches = AdminProperties.hasText(properties.passwordHash())
                ? encoder.matches(given.password(), properties.passwordHash())
                : BasicCredentials.constantTimeEquals(given.password(), properties.password());
        return userMatches && passwordMatches;
    }
}
