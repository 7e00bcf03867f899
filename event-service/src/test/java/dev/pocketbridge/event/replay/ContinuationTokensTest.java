package dev.pocketbridge.event.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.OptionalLong;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.codec.Base64Url;

class ContinuationTokensTest {

    private static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 7);
    }

    private final ContinuationTokens tokens = new ContinuationTokens(KEY);
    private final UUID user = UUID.randomUUID();

    @Test
    void aTokenRoundTripsForItsUser() {
        String token = tokens.encode(user, 1234);
        assertThat(tokens.decode(user, token)).isEqualTo(OptionalLong.of(1234));
        assertThat(Base64Url.decode(token)).isPresent();
        assertThat(token).doesNotContain(user.toString());
    }

    @Test
    void anotherUsersTokenIsRefused() {
        assertThat(tokens.decode(UUID.randomUUID(), tokens.encode(user, 5))).isEmpty();
    }

    @Test
    void everyFlippedBitIsDetected() {
        byte[] bytes = Base64Url.decode(tokens.encode(user, 99)).orElseThrow();
        for (int i = 0; i < bytes.length * 8; i++) {
            byte[] tampered = bytes.clone();
            tampered[i / 8] ^= (byte) (1 << (i % 8));
            assertThat(tokens.decode(user, Base64Url.encode(tampered))).as("bit %d", i).isEmpty();
        }
    }

    @Test
    void malformedTokensAreRefused() {
        String token = tokens.encode(user, 99);
        assertThat(tokens.decode(user, "")).isEmpty();
        assertThat(tokens.decode(user, "not a token")).isEmpty();
        assertThat(tokens.decode(user, token + "A")).isEmpty();
        assertThat(tokens.decode(user, token.substring(1))).isEmpty();
        assertThat(tokens.decode(user, token + "=")).isEmpty();
    }

    @Test
    void aTokenOfAnotherKeyIsRefused() {
        byte[] otherKey = KEY.clone();
        otherKey[0] = 8;
        assertThat(tokens.decode(user, new ContinuationTokens(otherKey).encode(user, 5))).isEmpty();
    }

    @Test
    void shortKeysAreRefused() {
        assertThatThrownBy(() -> new ContinuationTokens(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }
}
