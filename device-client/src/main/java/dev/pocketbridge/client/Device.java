package dev.pocketbridge.client;

import java.time.Duration;
import java.util.Objects;

import dev.pocketbridge.common.crypto.Ed25519;
import dev.pocketbridge.common.crypto.Transcripts;

/**
 * A device as its owner drives it: registration (PROTOCOL.md §2.1), access tokens, pairing and the
 * WebSocket session, on top of {@link PocketBridgeApi}. Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * PocketBridgeApi api = new PocketBridgeApi("http://localhost:8080");
 * DeviceIdentity phone = Device.registerNewUser(api, "phone", "mobile");
 * Device device = new Device(api, phone);
 * try (DeviceSession session = device.connect()) { ... }
 * }</pre>
 */
public final class Device {

    public static final String PURPOSE_REGISTER = "register";
    public static final String PURPOSE_TOKEN = "token";

    private final PocketBridgeApi api;
    private final DeviceIdentity identity;

    public Device(PocketBridgeApi api, DeviceIdentity identity) {
        this.api = Objects.requireNonNull(api, "api");
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    /**
     * Registers a new user with this as its first device: generates an Ed25519 key pair, gets a
     * {@code register} challenge, signs {@link Transcripts#register} and posts the registration.
     *
     * @param type {@code mobile}, {@code desktop} or {@code web}
     * @throws ApiError when the server refuses (e.g. 400 {@code invalid_request})
     */
    public static DeviceIdentity registerNewUser(PocketBridgeApi api, String name, String type) {
        return register(api, name, type, null);
    }

    /**
     * Joins the user of a pairing code: looks the code up (which consumes it) and registers with
     * its {@code pairing_token}. Use {@link #registerWithPairing(PocketBridgeApi, PocketBridgeApi.PairingLookup,
     * String, String)} when the pairing's {@code encrypted_payload} is needed too.
     */
    public static DeviceIdentity registerWithPairing(PocketBridgeApi api, String code, String name, String type) {
        return registerWithPairing(api, api.lookupPairing(code), name, type);
    }

    /** Registers with the {@code pairing_token} of an already looked-up pairing code. */
    public static DeviceIdentity registerWithPairing(PocketBridgeApi api, PocketBridgeApi.PairingLookup lookup,
            String name, String type) {
        DeviceIdentity identity = register(api, name, type, lookup.pairingToken());
        if (lookup.userId() != null && !lookup.userId().equals(identity.userId())) {
            throw new IllegalStateException("registered into user " + identity.userId()
                    + " but the pairing code was issued for user " + lookup.userId());
        }
        return identity;
    }

    private static DeviceIdentity register(PocketBridgeApi api, String name, String type, String pairingToken) {
        Ed25519.KeyPair keyPair = DeviceIdentity.newKeyPair();
        DeviceIdentity unregistered = DeviceIdentity.of(null, null, keyPair, name, type);
        String publicKey = unregistered.publicKeyBase64();
        String challenge = api.challenge(PURPOSE_REGISTER, null).challenge();
        String signature = unregistered.sign(Transcripts.register(publicKey, type, challenge));
        PocketBridgeApi.Registration registration = api.register(
                new PocketBridgeApi.RegisterRequest(publicKey, name, type, challenge, signature, pairingToken));
        return DeviceIdentity.of(registration.userId(), registration.deviceId(), keyPair, name, type);
    }

    /** Gets a {@code token} challenge, signs {@link Transcripts#token} and exchanges it for tokens. */
    public static PocketBridgeApi.Tokens tokens(PocketBridgeApi api, DeviceIdentity identity) {
        String challenge = api.challenge(PURPOSE_TOKEN, identity.deviceId()).challenge();
        String signature = identity.sign(Transcripts.token(identity.deviceId(), challenge));
        return api.token(identity.deviceId(), challenge, signature);
    }

    public PocketBridgeApi api() {
        return api;
    }

    public DeviceIdentity identity() {
        return identity;
    }

    /** A fresh access and refresh token pair for this device. */
    public PocketBridgeApi.Tokens tokens() {
        return tokens(api, identity);
    }

    /** A fresh access token (a new challenge each call; tokens are not cached). */
    public String accessToken() {
        return tokens().accessToken();
    }

    /** Lists the user's devices. */
    public PocketBridgeApi.DeviceList listDevices() {
        return api.listDevices(accessToken());
    }

    /** Renames one of the user's devices (this one or another); the answer carries the normalised name. */
    public PocketBridgeApi.DeviceInfo renameDevice(String deviceId, String deviceName) {
        return api.renameDevice(accessToken(), deviceId, deviceName);
    }

    /** Removes one of the user's devices; removing this device makes its identity useless. */
    public void removeDevice(String deviceId) {
        api.removeDevice(accessToken(), deviceId);
    }

    /** Deletes the user with all its devices and data; this identity is useless afterwards. */
    public PocketBridgeApi.UserDeletion deleteUser() {
        return api.deleteUser(accessToken());
    }

    /** Creates a pairing code carrying {@code encryptedPayload} (base64url) for a new device. */
    public PocketBridgeApi.Pairing createPairing(String encryptedPayload) {
        return api.createPairing(accessToken(), encryptedPayload);
    }

    /**
     * Opens a WebSocket session and performs the §3.1 handshake, pinning the server identity key
     * published by {@code server-info}.
     *
     * @throws HandshakeException when the server refuses or cannot be verified
     */
    public DeviceSession connect() {
        return DeviceSession.connect(api, identity);
    }

    /** Like {@link #connect()} with a custom handshake timeout. */
    public DeviceSession connect(Duration timeout) {
        return DeviceSession.connect(api.webSocketUri(), identity, pinnedKey(), timeout);
    }

    private byte[] pinnedKey() {
        return DeviceSession.serverKeyOf(api.serverInfo());
    }
}
