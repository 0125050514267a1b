package dev.vepconnector.startup;

import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.FailedToStartRouteException;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;

/**
 * A route file Camel cannot read (broken YAML, a field the DSL does not know) or cannot turn into a
 * route (an unknown component, a wrong endpoint option): the start is refused with the file, the
 * place and Camel's reason on one line, instead of a stack trace through Camel and Spring.
 */
class RouteFileFailureAnalyzer implements FailureAnalyzer {

    private static final String INCLUDE_PATTERN = "camel.main.routes-include-pattern";
    private final Environment environment;

    RouteFileFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        return causes(failure).map(this::describe).flatMap(Optional::stream).findFirst()
                .map(problem -> new FailureAnalysis("Cannot start: " + problem,
                        "Correct the route file; the connector loads " + routeFiles() + " (" + INCLUDE_PATTERN + ").", failure))
                .orElse(null);
    }

    private Optional<String> describe(Throwable cause) {
        if (cause instanceof MarkedYamlEngineException yaml) {
            return Optional.of(unreadable(yaml));
        }
        if (cause instanceof FailedToCreateRouteException create) {
            return Optional.of(route(create.getRouteId(), reason(create)));
        }
        if (cause instanceof FailedToStartRouteException start) {
            return Optional.of(route(start.getRouteId(), reason(start)));
        }
        return Optional.empty();
    }

    private static String unreadable(MarkedYamlEngineException yaml) {
        String where = yaml.getContextMark().or(yaml::getProblemMark).map(RouteFileFailureAnalyzer::place).orElse("a route file");
        String what = Stream.of(yaml.getContext(), yaml.getProblem()).filter(s -> s != null && !s.isBlank())
                .map(String::strip).collect(Collectors.joining(": "));
        return where + ": " + what;
    }

    private static String place(Mark mark) {
        return "route file " + file(mark.getName()) + ", line " + (mark.getLine() + 1);
    }

    private String route(String routeId, String reason) {
        String file = new RouteFiles(environment.getProperty(INCLUDE_PATTERN)).declaring(routeId).map(f -> "route file " + f + ": ").orElse("");
        return file + "route '" + routeId + "': " + reason;
    }

    /** Camel's own reason, without the dump of the route it prepends (the route id and file say which). */
    private static String reason(Throwable routeFailure) {
        Throwable cause = routeFailure.getCause() != null ? routeFailure.getCause() : routeFailure;
        return String.valueOf(cause.getMessage()).lines().findFirst().orElse(cause.getClass().getSimpleName());
    }

    private static String file(String location) {
        return location.startsWith("file:") ? location.substring("file:".length()) : location;
    }

    private String routeFiles() {
        return environment.getProperty(INCLUDE_PATTERN, "the route files");
    }

    private static Stream<Throwable> causes(Throwable failure) {
        return Stream.iterate(failure, t -> t != null, t -> t.getCause() == t ? null : t.getCause());
    }
}
