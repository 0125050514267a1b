package dev.vepconnector.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * The body of an API error, in Spring Boot's own shape but always with its message: Spring's default
 * drops the message, and the message is what tells an operator what to do.
 */
public final class ApiError {

    private ApiError() {
    }

    public static Map<String, Object> body(HttpStatus status, String message, String path) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("timestamp", Instant.now().toString());
        body.put("status", status.value());
        body.put("error", status.getReasonPhrase());
        body.put("message", message);
        body.put("path", path);
        return body;
    }
}
