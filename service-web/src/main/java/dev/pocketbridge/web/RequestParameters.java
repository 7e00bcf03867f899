package dev.pocketbridge.web;

import java.util.UUID;

import dev.pocketbridge.common.ids.Uuids;

/** Reading request parameters the one way: malformed is {@code 400 invalid_request} naming the parameter. */
public final class RequestParameters {

    private RequestParameters() {
    }

    /** {@code text} as a UUID, when it is one in lowercase canonical form. */
    public static UUID uuid(String name, String text) {
        return Uuids.parse(text).orElseThrow(() -> ApiException.invalidRequest(name + " must be a lowercase canonical UUID"));
    }
}
