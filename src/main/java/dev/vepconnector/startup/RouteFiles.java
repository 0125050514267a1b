package dev.vepconnector.startup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The route files {@code camel.main.routes-include-pattern} matches, read again after a failed start to
 * name the one that declares a route: Camel's route creation error gives the route's id, not its file.
 */
final class RouteFiles {

    private final PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
    private final String includePattern;

    RouteFiles(String includePattern) {
        this.includePattern = includePattern;
    }

    /** The one route file declaring {@code id: routeId}; empty if none or several do, or they cannot be read. */
    Optional<String> declaring(String routeId) {
        if (routeId == null || includePattern == null) {
            return Optional.empty();
        }
        Pattern declaration = Pattern.compile("^\\s*(-\\s+)?id:\\s*[\"']?" + Pattern.quote(routeId) + "[\"']?\\s*(#.*)?$", Pattern.MULTILINE);
        try {
            List<String> declaring = new ArrayList<>();
            for (String pattern : includePattern.split(",")) {
                for (Resource file : resolver.getResources(pattern.strip().replaceFirst("^classpath:", "classpath*:"))) {
                    if (declaration.matcher(file.getContentAsString(StandardCharsets.UTF_8)).find()) {
                        declaring.add(name(pattern.strip(), file));
                    }
                }
            }
            return declaring.size() == 1 ? Optional.of(declaring.get(0)) : Optional.empty();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** A file's path, or for a packaged one its place on the class path (not the jar's inner URL). */
    private static String name(String pattern, Resource file) throws IOException {
        if (file.isFile()) {
            return file.getFile().getPath();
        }
        String folder = pattern.substring(0, pattern.lastIndexOf('/') + 1);
        return Arrays.stream(folder.split("/")).anyMatch(part -> part.contains("*")) ? file.getDescription() : folder + file.getFilename();
    }
}
