package dev.seqrec.recommender.service;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.server.annotation.PreMatching;
import java.net.URI;

/**
 * Lets ids with a '+' (which ids may contain) reach their routes. Micronaut's router refuses a '+' in a path variable
 * (404), and it decodes path variables as form data, where '+' is a space; percent-encoded, the '+' matches and is
 * decoded to itself. Only the path is touched: in the query a '+' does mean a space.
 */
@ServerFilter("/v1/**")
public class PathPlusFilter {
    private static final String ENCODED_PLUS = "%2B";

    @PreMatching
    @RequestFilter
    public HttpRequest<?> encodePlus(HttpRequest<?> request) {
        URI uri = request.getUri();
        String path = uri.getRawPath();
        if (path == null || path.indexOf('+') < 0) {
            return request;
        }
        String query = uri.getRawQuery();
        String encoded = path.replace("+", ENCODED_PLUS) + (query == null ? "" : "?" + query);
        return request.mutate().uri(URI.create(encoded));
    }
}
