package dev.pocketbridge.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import dev.pocketbridge.common.internal.ProblemCodes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The largest request body per route ({@link BodyLimitProperties}), answered {@code 413
 * payload_too_large} before the body is read whole: a declared {@code Content-Length} above the
 * limit is refused from the headers alone; a body of unknown length (chunked) is counted as it is
 * read and cut off at the limit. Either way the answer is sent at once and the connection closed,
 * so the server neither waits for nor drains the rest.
 */
class BodyLimitFilter extends OncePerRequestFilter {

    private final long defaultMax;
    private final List<Map.Entry<PathPattern, Long>> byPath;
    private final HandlerExceptionResolver resolver;

    BodyLimitFilter(BodyLimitProperties properties, HandlerExceptionResolver resolver) {
        this.defaultMax = properties.maxBodySize().toBytes();
        this.byPath = properties.byPath().entrySet().stream()
                .map(e -> Map.entry(PathPatternParser.defaultInstance.parse(e.getKey()), e.getValue().toBytes()))
                .sorted(Comparator.comparing(Map.Entry::getKey, PathPattern.SPECIFICITY_COMPARATOR))
                .toList();
        this.resolver = resolver;
    }

    /** The largest limit of any route: no JSON document can be longer. */
    static long largest(BodyLimitProperties properties) {
        long max = properties.maxBodySize().toBytes();
        for (var size : properties.byPath().values()) {
            max = Math.max(max, size.toBytes());
        }
        return max;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long max = maxFor(request);
        if (request.getContentLengthLong() > max) {
            resolver.resolveException(request, response, null, new ApiException(HttpStatus.CONTENT_TOO_LARGE,
                    ProblemCodes.PAYLOAD_TOO_LARGE, new BodyTooLargeException(max).getMessage()));
            answerAndClose(response);
            return;
        }
        if (request.getContentLengthLong() >= 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null) {
            chain.doFilter(request, response); // HTTP framing ends a declared body at its length
            return;
        }
        LimitedRequest limited = new LimitedRequest(request, max);
        chain.doFilter(limited, response);
        if (limited.exceeded) {
            answerAndClose(response);
        }
    }

    private long maxFor(HttpServletRequest request) {
        PathContainer path = ServletRequestPathUtils.hasParsedRequestPath(request)
                ? ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication()
                : PathContainer.parsePath(request.getRequestURI().substring(request.getContextPath().length()));
        for (Map.Entry<PathPattern, Long> entry : byPath) {
            if (entry.getKey().matches(path)) {
                return entry.getValue();
            }
        }
        return defaultMax;
    }

    /** Sends the answer now and closes the connection after it, instead of draining the unread body first. */
    private static void answerAndClose(HttpServletResponse response) throws IOException {
        if (!response.isCommitted()) {
            response.setHeader(HttpHeaders.CONNECTION, "close");
            response.flushBuffer();
        }
    }

    /** A request whose body stream fails with {@link BodyTooLargeException} past {@code max} bytes. */
    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final long max;
        private ServletInputStream stream;
        private boolean exceeded;

        LimitedRequest(HttpServletRequest request, long max) {
            super(request);
            this.max = max;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new Counting(super.getInputStream());
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(getInputStream(),
                    encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding)));
        }

        private final class Counting extends ServletInputStream {

            private final ServletInputStream in;
            private long count;

            Counting(ServletInputStream in) {
                this.in = in;
            }

            @Override
            public int read() throws IOException {
                int b = in.read();
                if (b >= 0) {
                    count(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                // never read further than one byte past the limit
                int n = in.read(buffer, offset, (int) Math.min(length, max + 1 - count));
                if (n > 0) {
                    count(n);
                }
                return n;
            }

            private void count(int n) throws BodyTooLargeException {
                count += n;
                if (count > max) {
                    exceeded = true;
                    throw new BodyTooLargeException(max);
                }
            }

            @Override
            public boolean isFinished() {
                return in.isFinished();
            }

            @Override
            public boolean isReady() {
                return in.isReady();
            }

            @Override
            public void setReadListener(ReadListener listener) {
                in.setReadListener(listener);
            }
        }
    }
}
