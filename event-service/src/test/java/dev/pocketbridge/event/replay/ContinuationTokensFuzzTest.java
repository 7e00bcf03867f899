package dev.pocketbridge.event.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.OptionalLong;
import java.util.UUID;

import dev.pocketbridge.common.codec.Base64Url;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Replay continuation tokens (PROTOCOL.md §3.4: opaque, bound to the user, tamper-evident): a token
 * round-trips for its user, and every other text, tampered, forged or another user's, is refused
 * (an empty result, which replay answers {@code 400 invalid_continuation_token}), never thrown.
 */
class ContinuationTokensFuzzTest {

    @Property
    void aTokenRoundTripsForItsUser(@ForAll("keys") byte[] key, @ForAll("users") UUID user,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long afterSeq) {
        ContinuationTokens tokens = new ContinuationTokens(key);
        assertThat(tokens.decode(user, tokens.encode(user, afterSeq))).isEqualTo(OptionalLong.of(afterSeq));
    }

    @Property
    void aTokenIsRefusedForAnyOtherUserAndUnderAnyOtherKey(@ForAll("keys") byte[] key, @ForAll("keys") byte[] otherKey,
            @ForAll("users") UUID user, @ForAll("users") UUID other, @ForAll @LongRange(min = 0) long afterSeq) {
        Assume.that(!user.equals(other));
        ContinuationTokens tokens = new ContinuationTokens(key);
        String token = tokens.encode(user, afterSeq);
        assertThat(tokens.decode(other, token)).isEmpty();
        if (!java.util.Arrays.equals(key, otherKey)) {
            assertThat(new ContinuationTokens(otherKey).decode(user, token)).isEmpty();
        }
    }

    @Property
    void everyTamperedTextIsRefused(@ForAll("keys") byte[] key, @ForAll("users") UUID user,
            @ForAll @LongRange(min = 0) long afterSeq, @ForAll("edits") Edit edit) {
        ContinuationTokens tokens = new ContinuationTokens(key);
        String token = tokens.encode(user, afterSeq);
        String tampered = edit.apply(token);
        Assume.that(!tampered.equals(token));
        assertThat(tokens.decode(user, tampered)).as(tampered).isEmpty();
    }

    @Property
    void everyFlippedBitIsRefused(@ForAll("keys") byte[] key, @ForAll("users") UUID user,
            @ForAll @LongRange(min = 0) long afterSeq, @ForAll @IntRange(min = 0, max = 40) int index,
            @ForAll @IntRange(min = 1, max = 255) int mask) {
        ContinuationTokens tokens = new ContinuationTokens(key);
        byte[] bytes = Base64Url.decode(tokens.encode(user, afterSeq)).orElseThrow();
        bytes[index] ^= (byte) mask;
        assertThat(tokens.decode(user, Base64Url.encode(bytes))).isEmpty();
    }

    /** Well-formed tokens with a made-up MAC, for any version and position, including the negative ones. */
    @Property
    void forgedTokensAreRefused(@ForAll("keys") byte[] key, @ForAll("users") UUID user, @ForAll byte version,
            @ForAll long afterSeq, @ForAll("macs") byte[] mac) {
        String forged = Base64Url.encode(ByteBuffer.allocate(41).put(version).putLong(afterSeq).put(mac).array());
        assertThat(new ContinuationTokens(key).decode(user, forged)).isEmpty();
    }

    @Property
    void anyTextIsRefusedWithoutThrowing(@ForAll("keys") byte[] key, @ForAll("users") UUID user,
            @ForAll("texts") String text) {
        assertThat(new ContinuationTokens(key).decode(user, text)).isEmpty();
    }

    // ---- generators ----------------------------------------------------------------------------

    @Provide
    Arbitrary<byte[]> keys() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(ContinuationTokens.MIN_KEY_BYTES).ofMaxSize(64);
    }

    @Provide
    Arbitrary<byte[]> macs() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32);
    }

    @Provide
    Arbitrary<UUID> users() {
        return Arbitraries.randomValue(random -> new UUID(random.nextLong(), random.nextLong()));
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(80),
                Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
                        .ofMinLength(52).ofMaxLength(58));
    }

    /** One change to a token's text: a character replaced, deleted or inserted, or the text cut. */
    record Edit(int kind, int at, char c) {

        String apply(String token) {
            int i = at % (token.length() + 1);
            return switch (kind) {
                case 0 -> i == token.length() ? token + c : token.substring(0, i) + c + token.substring(i + 1);
                case 1 -> i == token.length() ? token : token.substring(0, i) + token.substring(i + 1);
                case 2 -> token.substring(0, i) + c + token.substring(i);
                default -> token.substring(0, i);
            };
        }
    }

    @Provide
    Arbitrary<Edit> edits() {
        Arbitrary<Character> chars = Arbitraries.oneOf(
                Arbitraries.chars().with("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray()),
                Arbitraries.chars().with('=', '+', '/', ' ', '%', '\n'),
                Arbitraries.chars());
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 60), chars)
                .as(Edit::new);
    }
}
