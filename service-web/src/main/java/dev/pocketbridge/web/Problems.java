package dev.pocketbridge.web;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** Builds the problem details of PROTOCOL.md §2: {@code type}, {@code title}, {@code status}, {@code detail}, {@code code}, {@code request_id}. */
public final class Problems {

    /** Where each {@code code} is documented (docs/errors.md lists them all). */
    public static final String TYPE_PREFIX = "https://pocketbridge.dev/problems/";

    private Problems() {
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
