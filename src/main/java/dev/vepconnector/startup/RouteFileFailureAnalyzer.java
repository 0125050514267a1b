package dev.vepconnector.startup;

import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.NoSuchEndpointException;
import org.apache.camel.util.URISupport;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;

/**
 * A route file Camel cannot read (broken YAML, a field the DSL does not know) or cannot turn into a
 * route (an unknown component, a wrong endpoint option): the start is refused with the file, the
 * place and Camel's reason on one line, instead of a stack trace through Camel and Spring. A component
 * the jar does not ship gets the way to add it: a folder of jars named by {@code loader.path}.
 */
class RouteFileFailureAnalyzer implements FailureAnalyzer {

    private static final String INCLUDE_PATTERN = "camel.main.routes-include-pattern";
    /** Spring Boot's PropertiesLauncher reads it (a system property, or the LOADER_PATH environment variable). */
    private static final String LOADER_PATH = "loader.path";
    private static final String DOCS = "docs/extensions.md";

    /** How this JVM got its class path: that decides whether {@code loader.path} is read at all. */
    enum Launch {
        /** the executable jar: Spring Boot's launcher reads loader.path */
        LAUNCHER,
        /** {@code -jar} of an extracted jar (target/demo): its manifest's class path, loader.path unread */
        EXTRACTED_JAR,
        /** {@code -cp ... main class}: the container image's entrypoint (which turns LOADER_PATH into class path), an IDE */
        CLASS_PATH;

        static Launch current() {
            if (RouteFileFailureAnalyzer.class.getClassLoader().getClass().getName().startsWith("org.springframework.boot.loader.")) {
                return LAUNCHER;
            }
            String command = System.getProperty("sun.java.command", "");
            return command.split(" ", 2)[0].endsWith(".jar") ? EXTRACTED_JAR : CLASS_PATH;
        }
    }

    private final Environment environment;
    private final Launch launch;

    /** The one public constructor: Spring Boot's factory loader instantiates the analyzer with it. */
    public RouteFileFailureAnalyzer(Environment environment) {
        this(environment, Launch.current());
    }

    RouteFileFailureAnalyzer(Environment environment, Launch launch) {
        this.environment = environment;
        this.launch = launch;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        return causes(failure).map(this::describe).flatMap(Optional::stream).findFirst()
                .map(problem -> new FailureAnalysis("Cannot start: " + problem, action(failure), failure))
                .orElse(null);
    }

    private String action(Throwable failure) {
        String correct = "correct the route file; the connector loads " + routeFiles() + " (" + INCLUDE_PATTERN + ").";
        return missingComponent(failure).map(scheme -> addComponent(scheme) + " Or " + correct)
                .orElse(Character.toUpperCase(correct.charAt(0)) + correct.substring(1));
    }

    private String addComponent(String scheme) {
        String jars = "the jar of the Camel component '" + scheme + "' and those of its dependencies the connector's jar lacks";
        String folder = environment.getProperty(LOADER_PATH);
        if (launch == Launch.EXTRACTED_JAR) {
            return "Put " + jars + " in a folder; an extracted jar does not read " + LOADER_PATH + ", the entrypoint beside it does"
                    + " (LOADER_PATH=<folder> target/demo/vep-connector.sh), and so does the executable jar"
                    + " (java -D" + LOADER_PATH + "=<folder> -jar target/vep-connector.jar); see " + DOCS + ".";
        }
        if (folder == null || folder.isBlank()) {
            return "Put " + jars + " in a folder and start with -D" + LOADER_PATH + "=<folder> (or LOADER_PATH=<folder>); see " + DOCS + ".";
        }
        return "No jar in " + LOADER_PATH + " " + folder + " has it: add " + jars + " there; see " + DOCS + ".";
    }

    /** The scheme of an endpoint no component on the class path provides. */
    private static Optional<String> missingComponent(Throwable failure) {
        return causes(failure).filter(NoSuchEndpointException.class::isInstance).map(e -> ((NoSuchEndpointException) e).getUri())
                .filter(uri -> uri != null && uri.indexOf(':') > 0).map(uri -> uri.substring(0, uri.indexOf(':'))).findFirst();
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
        if (cause instanceof NoSuchEndpointException missing && missing.getUri() != null && missing.getUri().indexOf(':') > 0) {
            // Camel's text ("please check your classpath") carries the endpoint's options as written, passwords included
            String uri = missing.getUri();
            return "no Camel component '" + uri.substring(0, uri.indexOf(':')) + "' for the endpoint " + URISupport.sanitizeUri(uri);
        }
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
