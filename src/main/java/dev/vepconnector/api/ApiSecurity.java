package dev.vepconnector.api;

import jakarta.servlet.DispatcherType;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Access to the HTTP side: probes and scrapers reach health, info and prometheus without credentials;
 * reading (the dashboard, GET /api/**) takes a viewer or the admin; acting (POST /api/**: replay,
 * collect) takes the admin. HTTP Basic, no sessions: every request carries its credentials.
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurity {

    private static final Logger log = LoggerFactory.getLogger(ApiSecurity.class);
    static final String VIEWER = "VIEWER";
    static final String ADMIN = "ADMIN";
    private static final String REALM = "vep-connector";

    @Bean
    SecurityFilterChain apiSecurityFilterChain(HttpSecurity http, ApiSecurityProperties properties) throws Exception {
        http.authorizeHttpRequests(requests -> {
            // Error pages and the async dispatches of the live feed belong to a request already authorized.
            requests.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll();
            requests.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus").permitAll();
            requests.requestMatchers("/actuator/**").denyAll();
            requests.requestMatchers(HttpMethod.GET, "/", "/index.html", "/dashboard.js", "/dashboard.css", "/api/**", "/favicon.ico")
                    .access((authentication, context) -> new org.springframework.security.authorization.AuthorizationDecision(
                            properties.publicRead() || hasRole(authentication.get(), VIEWER, ADMIN)));
            requests.requestMatchers("/api/**").hasRole(ADMIN);
            requests.anyRequest().denyAll();
        });
        AccessRefusal refusal = new AccessRefusal(REALM);
        http.httpBasic(basic -> basic.realmName(REALM).authenticationEntryPoint(refusal));
        http.exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(refusal).accessDeniedHandler(refusal));
        http.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        // No sessions and no cookies: requests carry HTTP Basic credentials, there is no session to forge.
        http.csrf(csrf -> csrf.disable());
        http.formLogin(form -> form.disable());
        http.logout(logout -> logout.disable());
        http.headers(Customizer.withDefaults());
        return http.build();
    }

    @Bean
    UserDetailsService apiUsers(ApiSecurityProperties properties) {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        List<UserDetails> users = new ArrayList<>();
        add(users, properties.viewer(), VIEWER);
        add(users, properties.admin(), ADMIN);
        if (properties.admin().canSignIn()) {
            log.info("HTTP API: admin operations enabled for user {}", properties.admin().username());
        } else {
            log.info("HTTP API: no admin credentials configured (vep.security.admin.*): replay and collect are refused");
        }
        InMemoryUserDetailsManager manager = new InMemoryUserDetailsManager(users);
        // A plain lookup, not the manager itself: exposed as a password service, it would make Spring
        // Security re-encode plain passwords with BCrypt and pay a BCrypt check on every request after.
        return manager::loadUserByUsername;
    }

    private static void add(List<UserDetails> users, ApiSecurityProperties.User user, String role) {
        if (user.canSignIn()) {
            String password = user.password().startsWith("{") ? user.password() : "{noop}" + user.password();
            users.add(User.withUsername(user.username()).password(password).roles(role).build());
        }
    }

    private static boolean hasRole(org.springframework.security.core.Authentication authentication, String... roles) {
        if (authentication == null || !authentication.isAuthenticated()) {
            return false;
        }
        for (String role : roles) {
            if (authentication.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_" + role))) {
                return true;
            }
        }
        return false;
    }
}
