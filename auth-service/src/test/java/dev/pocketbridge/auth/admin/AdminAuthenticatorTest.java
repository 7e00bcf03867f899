package dev.pocketbridge.auth.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

class AdminAuthenticatorTest {

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static AdminAuthenticator authenticator(String hash, String password) {
        return new AdminAuthenticator(new AdminProperties("admin", hash, password, Duration.ofMinutes(5)));
    }

    @Test
    void withoutAPasswordTheAdminIsDisabledAndNothingAuthenticates() {
        AdminAuthenticator disabled = authenticator(null, " ");

        assertThat(disabled.enabled()).isFalse();
        assertThat(disabled.authenticate(basic("admin", ""))).isEmpty();
        assertThat(disabled.authenticate(basic("admin", " "))).isEmpty();
    }

    @Test
    void aClearTextPasswordMatchesExactly() {
        AdminAuthenticator plain = authenticator(null, "s3cret:with:colons");

        assertThat(plain.authenticate(basic("admin", "s3cret:with:colons"))).contains("admin");
        assertThat(plain.authenticate(basic("admin", "s3cret"))).isEmpty();
        assertThat(plain.authenticate(basic("Admin", "s3cret:with:colons"))).isEmpty();
    }

    @Test
    void aHashIsPreferredAndABareBcryptHashIsAccepted() {
        String bare = new BCryptPasswordEncoder(4).encode("hashed");
        AdminAuthenticator prefixed = authenticator("{bcrypt}" + bare, "ignored");
        AdminAuthenticator unprefixed = authenticator(bare, null);

        assertThat(prefixed.authenticate(basic("admin", "hashed"))).contains("admin");
        assertThat(prefixed.authenticate(basic("admin", "ignored"))).isEmpty();
        assertThat(unprefixed.authenticate(basic("admin", "hashed"))).contains("admin");
    }

    @Test
    void malformedHeadersDoNotAuthenticate() {
        AdminAuthenticator plain = authenticator(null, "pw");

        assertThat(plain.authenticate(null)).isEmpty();
        assertThat(plain.authenticate("Bearer abc")).isEmpty();
        assertThat(plain.authenticate("Basic %%%")).isEmpty();
        assertThat(plain.authenticate("Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes()))).isEmpty();
        assertThat(plain.authenticate("basic " + Base64.getEncoder().encodeToString("admin:pw".getBytes())))
                .contains("admin");
    }
}
