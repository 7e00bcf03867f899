package dev.pocketbridge.gateway.apidocs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.tags.Tag;

/**
 * Merges the services' parts into the gateway's own description: each service's paths that the
 * gateway routes to that service, its components and tags. What cannot be merged is never dropped
 * silently: every part's state ({@code ok}, {@code stale}, {@code missing}) is in
 * {@value #PARTS} and, when not {@code ok}, in the description's text, and so are paths the
 * gateway does not route to the service that describes them, and clashes (a path, an operation id
 * or a component that two parts describe differently; the first part's stays).
 */
final class ApiDocsMerger {

    /** Per service: {@code status}, {@code fetched_at}, {@code problem}. */
    static final String PARTS = "x-pocketbridge-parts";
    /** What could not be merged, in words. */
    static final String PROBLEMS = "x-pocketbridge-merge-problems";

    private final List<String> problems = new ArrayList<>();
    private final Map<String, Object> states = new LinkedHashMap<>();
    private final Map<String, String> operationIds = new LinkedHashMap<>();

    private ApiDocsMerger() {
    }

    /**
     * @param target the gateway's own description, completed in place
     * @param routedPaths each route's path patterns, by route (= service) id
     */
    static void merge(OpenAPI target, Map<String, ServicePart> parts, Map<String, List<String>> routedPaths) {
        ApiDocsMerger merger = new ApiDocsMerger();
        if (target.getPaths() == null) {
            target.setPaths(new Paths());
        }
        if (target.getComponents() == null) {
            target.setComponents(new Components());
        }
        target.getPaths().forEach((path, item) -> merger.noteOperationIds("gateway-service", path, item));
        routedPaths.keySet().stream().sorted().forEach(service -> {
            ServicePart part = parts.getOrDefault(service, new ServicePart(service, null, null, "not fetched yet"));
            merger.merge(target, part, routedPaths.get(service).stream().map(PathPatternParser.defaultInstance::parse).toList());
        });
        target.addExtension(PARTS, merger.states);
        if (!merger.problems.isEmpty()) {
            target.addExtension(PROBLEMS, merger.problems);
            String text = target.getInfo().getDescription() == null ? "" : target.getInfo().getDescription() + "\n\n";
            target.getInfo().setDescription(text + "**This description is incomplete:**\n\n- "
                    + String.join("\n- ", merger.problems));
        }
    }

    private void merge(OpenAPI target, ServicePart part, List<PathPattern> routed) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("status", part.status());
        if (part.fetchedAt() != null) {
            state.put("fetched_at", part.fetchedAt().toString());
        }
        if (part.problem() != null) {
            state.put("problem", part.problem());
        }
        states.put(part.service(), state);
        String service = part.service();
        if (part.description() == null) {
            problems.add(service + "'s part is missing (" + part.problem() + "): its endpoints are not described here");
            return;
        }
        if (part.problem() != null) {
            problems.add(service + "'s part is the copy fetched at " + part.fetchedAt() + " (now: " + part.problem() + ")");
        }
        OpenAPI source = part.description();
        if (source.getPaths() != null) {
            source.getPaths().forEach((path, item) -> mergePath(target, service, path, item, routed));
        }
        Components from = source.getComponents();
        if (from != null) {
            Components to = target.getComponents();
            mergeMap(service, "schema", from.getSchemas(), to.getSchemas(), to::addSchemas);
            mergeMap(service, "security scheme", from.getSecuritySchemes(), to.getSecuritySchemes(), to::addSecuritySchemes);
            mergeMap(service, "header", from.getHeaders(), to.getHeaders(), to::addHeaders);
            mergeMap(service, "response", from.getResponses(), to.getResponses(), to::addResponses);
            mergeMap(service, "parameter", from.getParameters(), to.getParameters(), to::addParameters);
            mergeMap(service, "example", from.getExamples(), to.getExamples(), to::addExamples);
            mergeMap(service, "request body", from.getRequestBodies(), to.getRequestBodies(), to::addRequestBodies);
        }
        if (source.getTags() != null) {
            Function<Tag, String> name = Tag::getName;
            source.getTags().stream()
                    .filter(tag -> target.getTags() == null || target.getTags().stream().map(name).noneMatch(tag.getName()::equals))
                    .forEach(target::addTagsItem);
        }
    }

    private void mergePath(OpenAPI target, String service, String path, PathItem item, List<PathPattern> routed) {
        PathContainer sample = PathContainer.parsePath(path.replaceAll("\\{[^}/]+}", "x"));
        if (routed.stream().noneMatch(p -> p.matches(sample))) {
            problems.add(service + " describes " + path + ", which the gateway does not route to it");
            return;
        }
        PathItem existing = target.getPaths().get(path);
        if (existing != null) {
            if (!existing.equals(item)) {
                problems.add(path + " is described by " + service + " and by another part; the other's stays");
            }
            return;
        }
        noteOperationIds(service, path, item);
        target.getPaths().addPathItem(path, item);
    }

    private void noteOperationIds(String service, String path, PathItem item) {
        item.readOperations().stream().map(o -> o.getOperationId()).filter(Objects::nonNull).forEach(id -> {
            String before = operationIds.putIfAbsent(id, service + " " + path);
            if (before != null && !before.equals(service + " " + path)) {
                problems.add("operation id " + id + " of " + service + " " + path + " is also that of " + before);
            }
        });
    }

    private <T> void mergeMap(String service, String kind, Map<String, T> from, Map<String, T> to,
            BiConsumer<String, T> add) {
        if (from == null) {
            return;
        }
        from.forEach((name, value) -> {
            T existing = to == null ? null : to.get(name);
            if (existing == null) {
                add.accept(name, value);
            } else if (!existing.equals(value)) {
                problems.add("the " + kind + " " + name + " of " + service + " differs from another part's; the other's stays");
            }
        });
    }
}
