package dev.pocketbridge.web;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

import dev.pocketbridge.common.codec.Json;

/**
 * Tomcat's report of a request it refuses itself, before any filter or handler runs (a path holding
 * an encoded NUL, slash or backslash, say): a problem detail like every other error (PROTOCOL.md §2)
 * instead of Tomcat's HTML page. Public, as Tomcat instantiates its host's error valve by class name.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        HttpStatus status = HttpStatus.resolve(response.getStatus());
        // As Tomcat's own valve: only errors, only when nothing was written, and reported once.
        if (status == null || !status.isError() || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String requestId = RequestIds.acceptOrCreate(request.getHeader(RequestIds.HEADER));
        ProblemDetail problem = Problems.of(status, Problems.codeOf(status), status.getReasonPhrase());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        body.putAll(problem.getProperties());
        body.put("request_id", requestId);
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            response.setHeader(RequestIds.HEADER, requestId);
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(Json.write(body));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The connection is gone: there is no one left to answer.
        }
    }
}
