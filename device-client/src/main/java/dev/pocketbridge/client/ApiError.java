package dev.pocketbridge.client;

import java.util.OptionalLong;

import dev.pocketbridge.common.codec.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A non-2xx answer of the REST API (PROTOCOL.md §2), read from its RFC 9457 problem details:
 * {@code status}, the stable {@code code}, {@code detail} and {@code request_id}.
 */
public class ApiError extends RuntimeException {

    private static final int MAX_DETAIL_CHARS = 500;

    private final int status;
    private final String code;
    private final String detail;
    private final String requestId;
    private final Long retryAfterSeconds;

    public ApiError(int status, String code, String detail, String requestId, Long retryAfterSeconds) {
        super("HTTP " + status + (code == null ? "" : " " + code) + (detail == null ? "" : ": " + detail)
                + (requestId == null ? "" : " (request_id " + requestId + ")"));
        this.status = status;
        this.code = code;
        this.detail = detail;
        this.requestId = requestId;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * Reads a problem-details body. A body that is not JSON (a proxy's HTML page, say) still gives
     * an error: {@code code} is then null and {@code detail} is the start of the body. The
     * {@code X-Request-ID} header value is used when the body has no {@code request_id}.
     */
    public static ApiError fromResponse(int status, String body, String requestIdHeader, String retryAfterHeader) {
        String code = null;
        String detail = null;
        String requestId = null;
        if (body != null && !body.isBlank()) {
            try {
                JsonNode node = Json.mapper().readTree(body);
                if (node != null && node.isObject()) {
                    code = text(node, "code");
                    detail = text(node, "detail");
                    if (detail == null) {
                        detail = text(node, "title");
                    }
                    requestId = text(node, "request_id");
                } else {
                    detail = abbreviate(body);
                }
            } catch (JacksonException e) {
                detail = abbreviate(body);
            }
        }
        if (requestId == null) {
            requestId = requestIdHeader;
        }
        return new ApiError(status, code, detail, requestId, parseRetryAfter(retryAfterHeader));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.asString() : null;
    }

    private static String abbreviate(String body) {
        String trimmed = body.strip();
        return trimmed.length() <= MAX_DETAIL_CHARS ? trimmed : trimmed.substring(0, MAX_DETAIL_CHARS) + "…";
    }

    private static Long parseRetryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return null; // an HTTP date: not used by PocketBridge
        }
    }

    /** The HTTP status code. */
    public int status() {
        return status;
    }

    /** The problem's stable {@code code} (e.g. {@code device_name_taken}); null when the body had none. */
    public String code() {
        return code;
    }

    /** The problem's {@code detail}, or its {@code title}, or the start of a non-JSON body. */
    public String detail() {
        return detail;
    }

    /** The problem's {@code request_id}, else the {@code X-Request-ID} header; may be null. */
    public String requestId() {
        return requestId;
    }

    /** {@code Retry-After} in seconds when the answer carried one (429, 503). */
    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds == null ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
    }
}
