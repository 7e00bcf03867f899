package dev.pocketbridge.common.crypto;

/**
 * The signed transcripts of PROTOCOL.md §1: fixed lines joined with a single {@code \n}, no
 * trailing newline. Every value is passed exactly as it appears on the wire (base64url text,
 * canonical UUID text, decimal milliseconds).
 */
public final class Transcripts {

    public static final String REGISTER = "pocketbridge/v1/register";
    public static final String TOKEN = "pocketbridge/v1/token";
    public static final String SERVER_HELLO = "pocketbridge/v1/server_hello";
    public static final String CLIENT_AUTH = "pocketbridge/v1/client_auth";

    private Transcripts() {
    }

    public static String register(String publicKey, String deviceType, String challenge) {
        return join(REGISTER, publicKey, deviceType, challenge);
    }

    public static String token(String deviceId, String challenge) {
        return join(TOKEN, deviceId, challenge);
    }

    public static String serverHello(String userId, String deviceId, String nonceC, String sessionId,
            String nonceS, long serverTime) {
        return join(SERVER_HELLO, userId, deviceId, nonceC, sessionId, nonceS, Long.toString(serverTime));
    }

    public static String clientAuth(String userId, String deviceId, String nonceC, String sessionId,
            String nonceS) {
        return join(CLIENT_AUTH, userId, deviceId, nonceC, sessionId, nonceS);
    }

    private static String join(String... lines) {
        for (String line : lines) {
            if (line == null || line.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("transcript lines must be present and contain no newline");
            }
        }
        return String.join("\n", lines);
    }
}
