package dev.pocketbridge.client.cli;

import dev.pocketbridge.client.ApiError;
import dev.pocketbridge.common.internal.ProblemCodes;

/**
 * A server's problem answer ({@link ApiError}) in plain words on one line, ending with the problem
 * {@code code} (or the HTTP status when the answer had none) and the request id to quote when
 * reporting it, e.g. {@code another of your devices already has that name (device_name_taken,
 * request_id 7f3a)}.
 */
final class Problems {

    private Problems() {
    }

    static String describe(ApiError error) {
        StringBuilder line = new StringBuilder(words(error));
        error.retryAfterSeconds().ifPresent(s -> line.append("; try again in ").append(s).append(" s"));
        line.append(" (").append(error.code() != null ? error.code() : "HTTP " + error.status());
        if (error.requestId() != null) {
            line.append(", request_id ").append(error.requestId());
        }
        line.append(')');
        return line.toString().replaceAll("\\s+", " ").strip();
    }

    private static String words(ApiError error) {
        String code = error.code() == null ? "" : error.code();
        return switch (code) {
            case "device_name_taken" -> "another of your devices already has that name";
            case "device_limit_reached" -> "your account already has as many devices as it may have";
            case "public_key_taken" -> "this device's key is registered already";
            case "authentication_failed" -> "the server no longer accepts this device: it was removed or revoked,"
                    + " or its account was deleted";
            case ProblemCodes.CHALLENGE_INVALID ->
                    "the sign-in challenge was not accepted (expired or used); try again";
            case ProblemCodes.UNAUTHORIZED -> "the server did not accept this device's access token";
            case ProblemCodes.FORBIDDEN -> "this device is not allowed to do that";
            case ProblemCodes.RATE_LIMITED -> "too many requests";
            case ProblemCodes.UNAVAILABLE -> "the server is unavailable right now";
            case ProblemCodes.PAYLOAD_TOO_LARGE -> "the request is too large";
            case ProblemCodes.INTERNAL_ERROR -> "the server failed to handle the request";
            case ProblemCodes.INVALID_REQUEST -> "the server refused the request"
                    + (isBlank(error.detail()) ? "" : ": " + error.detail());
            // no code: not a PocketBridge problem (a proxy's page, say), so its body is no plain words
            default -> error.code() == null || isBlank(error.detail()) ? byStatus(error.status()) : error.detail();
        };
    }

    private static String byStatus(int status) {
        return switch (status) {
            case 400 -> "the server refused the request";
            case 401 -> "the server did not accept this device";
            case 403 -> "this device is not allowed to do that";
            case 404 -> "not found";
            case 409 -> "that conflicts with the current state";
            case 413 -> "the request is too large";
            case 429 -> "too many requests";
            case 502, 503, 504 -> "the server is unavailable right now";
            default -> status >= 500 ? "the server failed to handle the request" : "the server refused the request";
        };
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
