package dev.pocketbridge.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An error an endpoint answers, for the REST API description: its status and the problem
 * {@code code}s it may carry (PROTOCOL §2). The errors every endpoint shares (an invalid request or
 * parameter, a refused token, the per-user rate limit, a failure inside) are added by the one
 * description of the servlet services ({@link ApiDescriptionConfiguration}) and need no annotation.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Repeatable(ProblemResponses.class)
public @interface ProblemResponse {

    /** The HTTP status, e.g. 409. */
    int status();

    /** The {@code code} members it comes with (ProblemCodes and the service's own). */
    String[] codes();
}
