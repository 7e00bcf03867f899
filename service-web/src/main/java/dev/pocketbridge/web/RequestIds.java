package dev.pocketbridge.web;

import java.util.UUID;
import java.util.regex.Pattern;

import org.slf4j.MDC;

import dev.pocketbridge.common.ids.LogIds;

/** The request id of PROTOCOL.md §2: the caller's {@code X-Request-ID} when it is a safe token, else a new one. */
public final class RequestIds {

    public static final String HEADER = "X-Request-ID";
    public static final String MDC_KEY = LogIds.REQUEST_ID;
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private RequestIds() {
    }

    /** {@code candidate} when safe to echo, otherwise a fresh id. */
    public static String acceptOrCreate(String candidate) {
        return candidate != null && SAFE.matcher(candidate).matches() ? candidate : UUID.randomUUID().toString();
    }

    /** The current request's id, or null outside a request. */
    public static String current() {
        return MDC.get(MDC_KEY);
    }
}
