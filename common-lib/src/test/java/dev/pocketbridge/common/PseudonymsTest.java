package dev.pocketbridge.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.crypto.Pseudonyms;

/** {@link Pseudonyms}: the documented HMAC, the same on every call and every thread (its MACs are reused). */
class PseudonymsTest {

    private static final byte[] KEY = new byte[32];

    static {
        for (int i = 0; i < KEY.length; i++) {
            KEY[i] = (byte) (i * 7 + 1);
        }
    }

    private static String expected(String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        return Base64Url.encode(mac.doFinal(message.getBytes(StandardCharsets.UTF_8))).substring(0, Pseudonyms.LENGTH);
    }

    @Test
    void isTheDocumentedMacOfLabelAndValueOnEveryCall() throws Exception {
        Pseudonyms pseudonyms = Pseudonyms.fromBase64Url(Base64Url.encode(KEY));
        String id = "0190f5a2-7c3e-7b1a-9f00-3c2d1e0f4a5b";
        for (int i = 0; i < 3; i++) {
            assertThat(pseudonyms.user(id)).isEqualTo(expected("user:" + id));
            assertThat(pseudonyms.device(id)).isEqualTo(expected("device:" + id));
            assertThat(pseudonyms.event(id)).isEqualTo(expected("event:" + id));
            assertThat(pseudonyms.stream(id, "clip")).isEqualTo(expected("stream:" + id + ":clip"));
        }
        assertThat(pseudonyms.user(id)).isNotEqualTo(pseudonyms.device(id));
    }

    @Test
    void threadsGetTheSamePseudonyms() throws Exception {
        Pseudonyms pseudonyms = Pseudonyms.fromBase64Url(Base64Url.encode(KEY));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        String value = Integer.toString(i);
                        if (!pseudonyms.event(value).equals(expected("event:" + value))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesAShortOrMalformedKey() {
        assertThatThrownBy(() -> Pseudonyms.fromBase64Url(Base64Url.encode(new byte[31])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pseudonyms.fromBase64Url("not base64!")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pseudonyms.fromBase64Url(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
