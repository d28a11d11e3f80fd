package dev.seqrec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium driven through chromedriver's W3C WebDriver HTTP API: just what the console's browser test
 * needs, with no driver download and no network access beyond loopback.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf";
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Pattern STARTED = Pattern.compile("started successfully on port (\\d+)");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Process driver;
    private final String base;
    private final String session;

    private HeadlessChromium(Process driver, String base, String session) {
        this.driver = driver;
        this.base = base;
        this.session = session;
    }

    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /**
     * Starts chromedriver on a loopback port and one browser with a fresh profile in {@code profileDir}. Port 0:
     * chromedriver binds a free port itself and names it, so no other process can take it in between.
     */
    static HeadlessChromium start(Path profileDir, int width, int height) throws IOException, InterruptedException {
        Path log = profileDir.resolveSibling("chromedriver.log");
        Process driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=0", "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        HeadlessChromium browser = null;
        try {
            String base = "http://127.0.0.1:" + listeningPort(driver, log);
            Map<String, Object> chromeOptions = Map.of(
                    "binary", CHROMIUM.toString(),
                    // Without these flags Chromium's background connections to the closed network stall it.
                    "args", List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                            "--disable-component-update", "--disable-sync", "--no-first-run",
                            "--disable-dev-shm-usage", "--user-data-dir=" + profileDir.toAbsolutePath(),
                            "--window-size=" + width + "," + height));
            Map<String, Object> capabilities = Map.of("capabilities",
                    Map.of("alwaysMatch", Map.of("browserName", "chrome", "goog:chromeOptions", chromeOptions)));
            HeadlessChromium unstarted = new HeadlessChromium(driver, base, null);
            String session = unstarted.call("POST", "/session", capabilities).path("sessionId").asText();
            browser = new HeadlessChromium(driver, base, session);
            return browser;
        } finally {
            if (browser == null) {
                driver.destroy();
            }
        }
    }

    /** The port chromedriver says it listens on, once it says so (it listens from then on). */
    private static int listeningPort(Process driver, Path log) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(STARTUP);
        while (true) {
            Matcher started = STARTED.matcher(Files.readString(log));
            if (started.find()) {
                return Integer.parseInt(started.group(1));
            }
            if (!driver.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IOException("chromedriver did not start within " + STARTUP + ": " + Files.readString(log));
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    void open(String url) throws IOException, InterruptedException {
        sessionCall("POST", "/url", Map.of("url", url));
    }

    /** The first element matching {@code css}, waiting up to {@code timeout} for it to appear. */
    String find(String css, Duration timeout) throws IOException, InterruptedException {
        return waitFor(() -> {
            List<String> found = findAll(css);
            return found.isEmpty() ? null : found.get(0);
        }, timeout, "no element matches " + css);
    }

    List<String> findAll(String css) {
        try {
            JsonNode answer = sessionCall("POST", "/elements", Map.of("using", "css selector", "value", css));
            List<String> ids = new ArrayList<>();
            answer.forEach(node -> ids.add(node.path(ELEMENT_KEY).asText()));
            return ids;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("finding " + css + " failed: " + e.getMessage(), e);
        }
    }

    void click(String element) throws IOException, InterruptedException {
        sessionCall("POST", "/element/" + element + "/click", Map.of());
    }

    void type(String element, String text) throws IOException, InterruptedException {
        sessionCall("POST", "/element/" + element + "/clear", Map.of());
        sessionCall("POST", "/element/" + element + "/value", Map.of("text", text));
    }

    String text(String element) throws IOException, InterruptedException {
        return sessionCall("GET", "/element/" + element + "/text", null).asText();
    }

    /** The texts of every element matching {@code css}, in document order. */
    List<String> texts(String css) throws IOException, InterruptedException {
        List<String> texts = new ArrayList<>();
        for (String element : findAll(css)) {
            texts.add(text(element));
        }
        return texts;
    }

    /** Polls {@code condition} until it answers non-null; fails with {@code what} after {@code timeout}. */
    <T> T waitFor(Supplier<T> condition, Duration timeout, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            T value = condition.get();
            if (value != null) {
                return value;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("after " + timeout.toSeconds() + " s: " + what);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    void screenshot(Path png) throws IOException, InterruptedException {
        byte[] image = Base64.getDecoder().decode(sessionCall("GET", "/screenshot", null).asText());
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, image);
    }

    private JsonNode sessionCall(String method, String path, Object body) throws IOException, InterruptedException {
        return call(method, "/session/" + session + path, body);
    }

    private JsonNode call(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher payload = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(COMMAND_TIMEOUT)
                .header("Content-Type", "application/json")
                .method(method, payload)
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode value = json.readTree(response.body()).path("value");
        if (response.statusCode() != 200) {
            throw new IOException("webdriver " + method + " " + path + " -> " + response.statusCode() + ": "
                    + value.path("error").asText() + ": " + value.path("message").asText());
        }
        return value;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            if (session != null) {
                call("DELETE", "/session/" + session, null);
            }
        } catch (IOException alreadyGone) {
            // the driver is stopped below either way
        } finally {
            driver.destroy();
            driver.waitFor();
        }
    }
}
