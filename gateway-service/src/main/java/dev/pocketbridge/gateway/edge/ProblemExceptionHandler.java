package dev.pocketbridge.gateway.edge;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.internal.ProblemCodes;
import dev.pocketbridge.gateway.limits.BodyTooLargeException;
import io.netty.channel.ConnectTimeoutException;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;

/**
 * Errors the gateway itself produces (no route, a service unreachable or too slow, a bug) as
 * RFC 9457 problem details with {@code code} and {@code request_id}. Details are fixed texts: an
 * exception's own message may name an internal host, so it only goes to the log.
 */
@Component
@Order(-2) // before Boot's DefaultErrorWebExceptionHandler (-1)
class ProblemExceptionHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);
    private static final String TYPE_PREFIX = "https://pocketbridge.dev/problems/";

    private final EdgeProperties properties;

    ProblemExceptionHandler(EdgeProperties properties) {
        this.properties = properties;
    }

    private record Problem(HttpStatus status, String code, String detail) {
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(ex);
        }
        Problem problem = classify(ex);
        if (problem.status().is5xxServerError() && problem.status() != HttpStatus.SERVICE_UNAVAILABLE) {
            log.error("{} {} failed", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex);
        } else if (problem.status() == HttpStatus.SERVICE_UNAVAILABLE) {
            log.warn("{} {}: a service is unavailable: {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(), ex.toString());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_PREFIX + problem.code());
        body.put("title", problem.status().getReasonPhrase());
        body.put("status", problem.status().value());
        body.put("detail", problem.detail());
        body.put("code", problem.code());
        body.put("request_id", RequestIdFilter.of(exchange));
        response.setStatusCode(problem.status());
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (ex instanceof ResponseStatusException rse) {
            // e.g. Retry-After of a 429, Allow of a 405
            rse.getHeaders().forEach(headers::put);
        }
        if (problem.status() == HttpStatus.SERVICE_UNAVAILABLE) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, properties.retryAfter().toSeconds())));
        }
        DataBuffer buffer = response.bufferFactory().wrap(Json.write(body).getBytes(StandardCharsets.UTF_8));
        return response.writeWith(Mono.just(buffer));
    }

    private static Problem classify(Throwable ex) {
        if (unreachable(ex)) {
            return new Problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemCodes.UNAVAILABLE,
                    "a service is temporarily unavailable; retry later");
        }
        if (ex instanceof BodyTooLargeException tooLarge) {
            return new Problem(HttpStatus.CONTENT_TOO_LARGE, ProblemCodes.PAYLOAD_TOO_LARGE, tooLarge.getReason());
        }
        if (ex instanceof ResponseStatusException rse) {
            int status = rse.getStatusCode().value();
            return switch (status) {
                case 400 -> new Problem(HttpStatus.BAD_REQUEST, ProblemCodes.INVALID_REQUEST, "the request is malformed");
                case 404 -> new Problem(HttpStatus.NOT_FOUND, ProblemCodes.NOT_FOUND, "no resource at this path");
                case 405 -> new Problem(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                        "this method is not allowed here");
                case 413 -> new Problem(HttpStatus.CONTENT_TOO_LARGE, ProblemCodes.PAYLOAD_TOO_LARGE, "the request is too large");
                case 415 -> new Problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                        "this content type is not supported");
                case 429 -> new Problem(HttpStatus.TOO_MANY_REQUESTS, ProblemCodes.RATE_LIMITED, "too many requests");
                case 502, 503, 504 -> new Problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemCodes.UNAVAILABLE,
                        "a service is temporarily unavailable; retry later");
                default -> status >= 500
                        ? new Problem(HttpStatus.INTERNAL_SERVER_ERROR, ProblemCodes.INTERNAL_ERROR, "internal error")
                        : new Problem(HttpStatus.valueOf(status), ProblemCodes.INVALID_REQUEST, "the request was refused");
            };
        }
        return new Problem(HttpStatus.INTERNAL_SERVER_ERROR, ProblemCodes.INTERNAL_ERROR, "internal error");
    }

    private static boolean unreachable(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof ConnectTimeoutException
                    || t instanceof TimeoutException || t instanceof PrematureCloseException
                    || t instanceof java.net.UnknownHostException) {
                return true;
            }
        }
        return false;
    }
}
