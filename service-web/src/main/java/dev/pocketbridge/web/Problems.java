package dev.pocketbridge.web;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import dev.pocketbridge.common.internal.ProblemCodes;

/** Builds the problem details of PROTOCOL.md §2: {@code type}, {@code title}, {@code status}, {@code detail}, {@code code}, {@code request_id}. */
public final class Problems {

    /** Where each {@code code} is documented (docs/errors.md lists them all). */
    public static final String TYPE_PREFIX = "https://pocketbridge.dev/problems/";

    private Problems() {
    }

    /** The {@code code} of an error that has only a status (a framework's or the servlet container's). */
    public static String codeOf(HttpStatus status) {
        return switch (status) {
            case NOT_FOUND -> ProblemCodes.NOT_FOUND;
            case BAD_REQUEST -> ProblemCodes.INVALID_REQUEST;
            case INTERNAL_SERVER_ERROR -> ProblemCodes.INTERNAL_ERROR;
            default -> status.name().toLowerCase();
        };
    }

    public static ProblemDetail of(HttpStatus status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_PREFIX + code));
        problem.setTitle(status.getReasonPhrase());
        problem.setProperty("code", code);
        problem.setProperty("request_id", RequestIds.current());
        return problem;
    }
}
