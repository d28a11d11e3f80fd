package dev.seqrec.recommender.service;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Hidden;
import java.net.URI;

/** The web console's static files are served at /console/ (application.yml); the root leads there. */
@Controller
@Hidden
public class ConsoleController {
    private static final URI CONSOLE = URI.create("/console/index.html");

    @Get
    public HttpResponse<?> root() {
        return HttpResponse.seeOther(CONSOLE);
    }
}
