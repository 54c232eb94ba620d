package io.tunnelbox.web;

import io.tunnelbox.management.ManagementContext;
import io.tunnelbox.web.http.Router;

/**
 * More API routes, found with {@link java.util.ServiceLoader} when the server starts (list the
 * class in {@code META-INF/services/io.tunnelbox.web.RouteProvider}). A route declared with
 * {@link Router.Access#SESSION} gets the login, CSRF, origin and size checks of every other one;
 * a firmware upload gives its own {@code maxBody}.
 */
public interface RouteProvider {
    void register(Router router, ManagementContext context);
}
