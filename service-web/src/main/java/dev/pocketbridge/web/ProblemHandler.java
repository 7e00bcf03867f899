package dev.pocketbridge.web;

import java.time.Duration;
import java.util.stream.Collectors;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import dev.pocketbridge.common.internal.ProblemCodes;

/**
 * The few explicit mappings from exceptions to problem details. Framework errors (unreadable
 * body, unknown route, wrong method) keep their status and gain {@code code} and {@code request_id};
 * anything unexpected is logged with its stack and answered as a bare 500 that reveals nothing.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status());
        if (e.retryAfter() != null) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(e.retryAfter())));
        }
        return response.body(Problems.of(e.status(), e.code(), e.getMessage()));
    }

    /**
     * Query or form parameters that are not valid percent-encoding: the client's error, whichever
     * code reads them (Spring reads a form body's parameters even on a JSON endpoint).
     */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ProblemDetail> undecodableParameters(InvalidParameterException e) {
        return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, ProblemCodes.INVALID_REQUEST,
                "the request's parameters could not be decoded"));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("unhandled error", e);
        HttpStatus status = HttpStatus.INTERNAL_SERVER_ERROR;
        return ResponseEntity.status(status)
                .body(Problems.of(status, ProblemCodes.INTERNAL_ERROR, "an internal error occurred"));
    }

    /** A body cut off at its limit while being read ({@link BodyLimitFilter}) is 413, any other unreadable body 400. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BodyTooLargeException tooLarge) {
                HttpStatus tooLargeStatus = HttpStatus.CONTENT_TOO_LARGE;
                return ResponseEntity.status(tooLargeStatus)
                        .body(Problems.of(tooLargeStatus, ProblemCodes.PAYLOAD_TOO_LARGE, tooLarge.getMessage()));
            }
        }
        return super.handleHttpMessageNotReadable(e, headers, status, request);
    }

    /** Whole seconds, rounded up, at least 1 (a {@code Retry-After: 0} would invite an immediate retry). */
    static long retryAfterSeconds(Duration wait) {
        return Math.max(1, wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = e.getBindingResult().getFieldErrors().stream()
                .map(f -> f.getField() + " " + f.getDefaultMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, ProblemCodes.INVALID_REQUEST,
                detail.isEmpty() ? "the request is invalid" : detail));
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
            WebRequest request) {
        HttpStatus status = HttpStatus.valueOf(statusCode.value());
        String detail = body instanceof ProblemDetail p && p.getDetail() != null && status.is4xxClientError()
                ? p.getDetail() : status.getReasonPhrase();
        return new ResponseEntity<>(Problems.of(status, Problems.codeOf(status), detail), headers, statusCode);
    }
}
