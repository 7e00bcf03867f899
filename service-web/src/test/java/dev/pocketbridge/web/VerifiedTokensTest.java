package dev.pocketbridge.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

class VerifiedTokensTest {

    private final TokenBucketsTest.ManualClock clock = new TokenBucketsTest.ManualClock();
    private final List<String> verifiedByDelegate = new ArrayList<>();
    /** The delegate: accepts "good-<seconds to live>" (and "noexp"), refuses anything else. */
    private final JwtDecoder delegate = token -> {
        verifiedByDelegate.add(token);
        if (token.equals("noexp")) {
            return jwt(token, null);
        }
        if (!token.startsWith("good-")) {
            throw new BadJwtException("bad signature");
        }
        return jwt(token, clock.instant().plusSeconds(Long.parseLong(token.substring(5))));
    };
    private final VerifiedTokens tokens = new VerifiedTokens(delegate, Duration.ofMinutes(5), 100, clock);

    @Test
    void aTokenIsVerifiedOnceWhileItIsValid() {
        Jwt first = tokens.decode("good-600");
        clock.advance(Duration.ofMinutes(4));
        assertThat(tokens.decode("good-600")).isSameAs(first);
        assertThat(verifiedByDelegate).containsExactly("good-600");
    }

    @Test
    void aTokenIsVerifiedAgainOnceItExpires() {
        tokens.decode("good-60");
        clock.advance(Duration.ofSeconds(60));
        tokens.decode("good-60");
        assertThat(verifiedByDelegate).containsExactly("good-60", "good-60");
    }

    @Test
    void noTokenIsReusedLongerThanTheMaximumAge() {
        tokens.decode("good-3600");
        clock.advance(Duration.ofMinutes(5));
        tokens.decode("good-3600");
        assertThat(verifiedByDelegate).containsExactly("good-3600", "good-3600");
    }

    @Test
    void aRefusedTokenIsRefusedEveryTimeByTheDelegate() {
        assertThatThrownBy(() -> tokens.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> tokens.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThat(verifiedByDelegate).containsExactly("forged", "forged");
    }

    @Test
    void aTokenWithoutExpiryIsNeverReused() {
        tokens.decode("noexp");
        tokens.decode("noexp");
        assertThat(verifiedByDelegate).containsExactly("noexp", "noexp");
    }

    @Test
    void distinctTokensAreVerifiedEachOnItsOwn() {
        tokens.decode("good-600");
        tokens.decode("good-601");
        tokens.decode("good-600");
        assertThat(verifiedByDelegate).containsExactly("good-600", "good-601");
    }

    private static Jwt jwt(String token, Instant expiresAt) {
        Jwt.Builder builder = Jwt.withTokenValue(token).header("alg", "ES256").subject("s");
        if (expiresAt != null) {
            builder.expiresAt(expiresAt).issuedAt(expiresAt.minusSeconds(3600));
        }
        return builder.build();
    }
}
