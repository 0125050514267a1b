package dev.vepconnector.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * A refused request says in its body what it lacks (Spring's default is an empty 401 or 403): which
 * credentials the request takes, or that the ones given are wrong. It names no user and no setting's value.
 */
class AccessRefusal implements AuthenticationEntryPoint, AccessDeniedHandler {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String realm;

    AccessRefusal(String realm) {
        this.realm = realm;
    }

    /** 401: no credentials, or wrong ones. */
    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure) throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + realm + "\"");
        String message = failure instanceof BadCredentialsException ? "The user name or password is wrong."
                : isAdminOperation(request) ? "This takes the admin's credentials (HTTP Basic); the admin is set with "
                        + "vep.security.admin.username and vep.security.admin.password."
                : "This takes a viewer's or the admin's credentials (HTTP Basic).";
        write(response, HttpStatus.UNAUTHORIZED, request, message);
    }

    /** 403: signed in, but not as someone who may do this. */
    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied) throws IOException {
        String message = isAdminOperation(request) ? "This takes the admin; the credentials given are a viewer's."
                : "This is not served.";
        write(response, HttpStatus.FORBIDDEN, request, message);
    }

    private static boolean isAdminOperation(HttpServletRequest request) {
        return !HttpMethod.GET.matches(request.getMethod()) && request.getRequestURI().startsWith("/api/");
    }

    private static void write(HttpServletResponse response, HttpStatus status, HttpServletRequest request, String message) throws IOException {
        Map<String, Object> body = ApiError.body(status, message, request.getRequestURI());
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        JSON.writeValue(response.getOutputStream(), body);
    }
}
