package dev.pocketbridge.web;

import java.util.ArrayList;
import java.util.List;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The endpoints of a service that take no access token, in one list that both the security
 * set-up ({@link #matcher()} for {@link BearerApiSecurity#configure}) and the REST API description
 * (which endpoints need no {@code security}) read, so the two cannot disagree. Each entry is
 * {@code "METHOD /pattern"} or {@code "/pattern"} for every method. The service's API description
 * ({@value #API_DOCS}) is always among them: the gateway fetches it without a token.
 */
public final class PublicEndpoints {

    /** Where each service publishes its part of the REST API description (springdoc's default path). */
    public static final String API_DOCS = "/v3/api-docs";

    private record Endpoint(HttpMethod method, PathPattern pattern) {
    }

    private final List<Endpoint> endpoints;
    private final RequestMatcher matcher;

    private PublicEndpoints(List<Endpoint> endpoints, RequestMatcher matcher) {
        this.endpoints = endpoints;
        this.matcher = matcher;
    }

    /** @param endpoints {@code "POST /api/v1/auth/token"}, or {@code "/actuator/**"} for every method */
    public static PublicEndpoints of(String... endpoints) {
        List<String> all = new ArrayList<>(List.of(endpoints));
        all.add("GET " + API_DOCS);
        List<Endpoint> parsed = new ArrayList<>();
        List<RequestMatcher> matchers = new ArrayList<>();
        for (String entry : all) {
            String[] parts = entry.trim().split(" +", 2);
            HttpMethod method = parts.length == 2 ? HttpMethod.valueOf(parts[0]) : null;
            String pattern = parts[parts.length - 1];
            parsed.add(new Endpoint(method, PathPatternParser.defaultInstance.parse(pattern)));
            matchers.add(PathPatternRequestMatcher.pathPattern(method, pattern));
        }
        return new PublicEndpoints(List.copyOf(parsed), new OrRequestMatcher(matchers));
    }

    /** For the security filter chain. */
    public RequestMatcher matcher() {
        return matcher;
    }

    /**
     * Whether {@code method} on {@code pathTemplate} (an OpenAPI path such as
     * {@code /api/v1/pairing/{code}}) takes no token.
     */
    public boolean isPublic(String method, String pathTemplate) {
        PathContainer path = PathContainer.parsePath(pathTemplate.replaceAll("\\{[^}/]+}", "x"));
        return endpoints.stream().anyMatch(e -> (e.method() == null || e.method().name().equalsIgnoreCase(method))
                && e.pattern().matches(path));
    }
}
