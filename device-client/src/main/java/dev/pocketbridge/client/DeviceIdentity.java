package dev.pocketbridge.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.crypto.Ed25519;

/**
 * Who a device is: its user and device ids, its Ed25519 key pair (32-byte seed and public key),
 * and the name and type it registered with. The seed is the device's secret: {@link #save} writes
 * it to a file readable by its owner only; {@link #toString()} never shows it.
 */
public record DeviceIdentity(String userId, String deviceId, byte[] seed, byte[] publicKey, String deviceName,
        String deviceType) {

    public DeviceIdentity {
        Objects.requireNonNull(seed, "seed");
        Objects.requireNonNull(publicKey, "publicKey");
        seed = seed.clone();
        publicKey = publicKey.clone();
    }

    /** A fresh key pair for a device not registered yet (ids are null until registration). */
    public static Ed25519.KeyPair newKeyPair() {
        return Ed25519.KeyPair.generate(new SecureRandom());
    }

    /** The identity of a registered device with {@code keyPair}. */
    public static DeviceIdentity of(String userId, String deviceId, Ed25519.KeyPair keyPair, String deviceName,
            String deviceType) {
        return new DeviceIdentity(userId, deviceId, keyPair.seed(), keyPair.publicKey(), deviceName, deviceType);
    }

    @Override
    public byte[] seed() {
        return seed.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The key pair, for signing. */
    public Ed25519.KeyPair keyPair() {
        return new Ed25519.KeyPair(seed.clone(), publicKey.clone());
    }

    /** The public key as it goes on the wire (base64url, 43 characters). */
    public String publicKeyBase64() {
        return Base64Url.encode(publicKey);
    }

    /** Signs the UTF-8 bytes of {@code transcript}; the signature as base64url. */
    public String sign(String transcript) {
        return Base64Url.encode(keyPair().sign(transcript));
    }

    /** The JSON form used by {@link #save}: the binary values as base64url. */
    public String toJson() {
        return Json.write(new Stored(userId, deviceId, Base64Url.encode(seed), Base64Url.encode(publicKey),
                deviceName, deviceType));
    }

    /** Reads {@link #toJson()}'s form; checks that the public key belongs to the seed. */
    public static DeviceIdentity fromJson(String json) {
        Stored stored = Json.read(json, Stored.class);
        byte[] seed = Base64Url.decodeExact(stored.seed(), Ed25519.SEED_BYTES)
                .orElseThrow(() -> new IllegalArgumentException("identity: seed is not 32 bytes of base64url"));
        Ed25519.KeyPair keyPair = Ed25519.KeyPair.fromSeed(seed);
        if (stored.publicKey() != null && !stored.publicKey().equals(Base64Url.encode(keyPair.publicKey()))) {
            throw new IllegalArgumentException("identity: public_key does not match the seed");
        }
        return of(stored.userId(), stored.deviceId(), keyPair, stored.deviceName(), stored.deviceType());
    }

    /** Writes the identity as JSON to {@code file}, permissions 600. */
    public void save(Path file) throws IOException {
        PrivateFiles.write(file, toJson());
    }

    /** Reads an identity written by {@link #save}. */
    public static DeviceIdentity load(Path file) throws IOException {
        return fromJson(Files.readString(file, StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DeviceIdentity that
                && Objects.equals(userId, that.userId) && Objects.equals(deviceId, that.deviceId)
                && Arrays.equals(seed, that.seed) && Arrays.equals(publicKey, that.publicKey)
                && Objects.equals(deviceName, that.deviceName) && Objects.equals(deviceType, that.deviceType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, deviceId, Arrays.hashCode(publicKey), deviceName, deviceType);
    }

    @Override
    public String toString() {
        return "DeviceIdentity[user_id=" + userId + ", device_id=" + deviceId + ", public_key=" + publicKeyBase64()
                + ", device_name=" + deviceName + ", device_type=" + deviceType + "]";
    }

    private record Stored(String userId, String deviceId, String seed, String publicKey, String deviceName,
            String deviceType) {
    }
}
