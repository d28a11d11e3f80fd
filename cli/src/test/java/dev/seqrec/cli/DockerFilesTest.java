package dev.seqrec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/** There is no Docker engine on our machines, so docker/'s files are checked statically against the application. */
class DockerFilesTest {
    private static final Path DOCKER = Path.of(System.getProperty("user.dir")).getParent().resolve("docker");
    private static final Pattern COMPOSE_VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::?-([^}]*))?}");

    private static Map<String, Object> compose;
    private static List<String> dockerfile;

    @BeforeAll
    static void readFiles() throws IOException {
        compose = new Yaml().load(Files.readString(DOCKER.resolve("compose.yaml")));
        dockerfile = Files.readAllLines(DOCKER.resolve("Dockerfile"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        return node == null ? Map.of() : (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node) {
        return node == null ? List.of() : (List<Object>) node;
    }

    static Map<String, Object> services() {
        return map(compose.get("services"));
    }

    static Map<String, Object> service(String name) {
        return map(services().get(name));
    }

    /** A service's environment with compose's ${NAME:-default} replaced by the default, as an unset host gives. */
    static Map<String, String> environment(String service) {
        Map<String, String> resolved = new LinkedHashMap<>();
        map(service(service).get("environment")).forEach((name, value) -> resolved.put(name, interpolate(String.valueOf(value))));
        return resolved;
    }

    static String interpolate(String value) {
        Matcher matcher = COMPOSE_VARIABLE.matcher(value);
        return matcher.replaceAll(match -> Matcher.quoteReplacement(match.group(2) == null ? "" : match.group(2)));
    }

    static List<String> seqrecServices() {
        List<String> names = new ArrayList<>();
        services().forEach((name, definition) -> {
            if (String.valueOf(map(definition).get("image")).startsWith("seqrec")) {
                names.add(name);
            }
        });
        return names;
    }

    /** Directories the runtime stage creates (mkdir -p ...). */
    static List<String> directoriesCreatedByTheImage() {
        List<String> directories = new ArrayList<>();
        for (String line : dockerfile) {
            Matcher matcher = Pattern.compile("mkdir -p ((?:/[^\\s&;\\\\]+\\s*)+)").matcher(line);
            if (matcher.find()) {
                directories.addAll(Arrays.asList(matcher.group(1).trim().split("\\s+")));
            }
        }
        return directories;
    }

    @Test
    void composeRunsAKafkaBrokerFromTheOfficialImageAndSeqrec() {
        assertTrue(String.valueOf(service("kafka").get("image")).startsWith("apache/kafka:"), "official apache/kafka image");
        assertTrue(seqrecServices().contains("seqrec"), "a seqrec service");
    }

    @Test
    void brokerIsASingleKraftNodeWhoseListenersAgree() {
        Map<String, String> env = environment("kafka");
        assertEquals("broker,controller", env.get("KAFKA_PROCESS_ROLES"));
        String nodeId = env.get("KAFKA_NODE_ID");
        assertTrue(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS").startsWith(nodeId + "@"), "the node votes for itself");
        List<String> protocols = Arrays.stream(env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").split(","))
                .map(pair -> pair.split(":")[0]).toList();
        List<String> listeners = Arrays.stream(env.get("KAFKA_LISTENERS").split(","))
                .map(listener -> listener.split(":")[0]).toList();
        assertTrue(protocols.containsAll(listeners), "every listener has a protocol: " + listeners + " vs " + protocols);
        assertTrue(listeners.contains(env.get("KAFKA_CONTROLLER_LISTENER_NAMES")), "the controller listener is opened");
        for (String advertised : env.get("KAFKA_ADVERTISED_LISTENERS").split(",")) {
            assertTrue(listeners.contains(advertised.split(":")[0]), advertised + " is a listener");
        }
        assertTrue(env.get("CLUSTER_ID").matches("[A-Za-z0-9_-]{22}"), "cluster id is a base64 UUID");
    }

    @Test
    void seqrecReachesTheBrokerOnItsAdvertisedInternalListener() {
        String advertised = Arrays.stream(environment("kafka").get("KAFKA_ADVERTISED_LISTENERS").split(","))
                .filter(listener -> listener.startsWith("PLAINTEXT://")).findFirst().orElseThrow()
                .substring("PLAINTEXT://".length());
        for (String name : seqrecServices()) {
            environment(name).forEach((variable, value) -> {
                if (variable.endsWith("_BOOTSTRAP")) {
                    assertEquals(advertised, value, name + "'s " + variable);
                }
            });
            assertTrue(map(service(name).get("depends_on")).containsKey("kafka"), name + " waits for the broker");
        }
    }

    @Test
    void everyNamedVolumeIsDeclaredAndMountedWhereTheImageKeepsState() {
        List<String> created = directoriesCreatedByTheImage();
        for (Map.Entry<String, Object> entry : services().entrySet()) {
            for (Object mount : list(map(entry.getValue()).get("volumes"))) {
                String[] parts = interpolate(String.valueOf(mount)).split(":");
                boolean named = !parts[0].startsWith(".") && !parts[0].startsWith("/");
                if (named) {
                    assertTrue(map(compose.get("volumes")).containsKey(parts[0]), "volume " + parts[0] + " is declared");
                    if (seqrecServices().contains(entry.getKey())) {
                        assertTrue(created.contains(parts[1]), parts[1] + " is created (and owned) by the image");
                    }
                }
            }
        }
    }

    @Test
    void servicesUsingTheSeqrecImageWithoutBuildingItNeverPullIt() {
        for (Map.Entry<String, Object> entry : services().entrySet()) {
            Map<String, Object> definition = map(entry.getValue());
            if (String.valueOf(definition.get("image")).startsWith("seqrec:") && !definition.containsKey("build")) {
                assertEquals("never", definition.get("pull_policy"),
                        entry.getKey() + " must not look for the local seqrec image on Docker Hub");
            }
        }
    }

    @Test
    void longRunningServicesHaveHealthChecks() {
        for (Map.Entry<String, Object> entry : services().entrySet()) {
            Map<String, Object> definition = map(entry.getValue());
            if (!definition.containsKey("profiles")) {
                assertFalse(list(map(definition.get("healthcheck")).get("test")).isEmpty(), entry.getKey() + " has a health check");
            }
        }
    }

    @Test
    void publishedSeqrecPortIsTheOneTheImageExposes() {
        String exposed = dockerfile.stream().filter(line -> line.startsWith("EXPOSE ")).findFirst().orElseThrow()
                .substring("EXPOSE ".length()).trim();
        List<Object> ports = list(service("seqrec").get("ports"));
        assertEquals(1, ports.size());
        String containerPort = interpolate(String.valueOf(ports.get(0))).replaceFirst(".*:", "");
        assertEquals(exposed, containerPort);
        String healthCheck = String.join(" ", list(map(service("seqrec").get("healthcheck")).get("test")).stream().map(String::valueOf).toList());
        assertTrue(healthCheck.contains("localhost:" + exposed + "/"), "health check asks the served port: " + healthCheck);
    }

    @Test
    void dockerfileBuildsWithMavenAndRunsTheLauncherJarOnAJre17() {
        List<String> stages = dockerfile.stream().filter(line -> line.startsWith("FROM ")).toList();
        assertEquals(2, stages.size(), "build stage and runtime stage");
        assertTrue(stages.get(0).matches("FROM maven:\\S*17\\S* AS build"), stages.get(0));
        assertTrue(stages.get(1).matches("FROM \\S*:17-jre\\S*"), stages.get(1));
        assertTrue(dockerfile.stream().anyMatch(line -> line.contains("mvn ") && line.contains("package")));
        String entrypoint = dockerfile.stream().filter(line -> line.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
        String jar = entrypoint.replaceFirst(".*\"-jar\", \"([^\"]+)\".*", "$1");
        String jarDirectory = jar.substring(0, jar.lastIndexOf('/'));
        assertTrue(dockerfile.contains("COPY --from=build /src/cli/target/seqrec-cli.jar " + jar), "the launcher jar is copied to " + jar);
        // The thin jar's manifest lists lib/ relative to itself.
        assertTrue(dockerfile.contains("COPY --from=build /src/cli/target/lib " + jarDirectory + "/lib"), "lib/ sits beside the jar");
    }

    /** The runtime stage's ENV variables: NAME="value" or NAME=value pairs, continuation lines joined. */
    static Map<String, String> imageEnvironment() {
        String joined = String.join("\n", dockerfile).replaceAll("\\\\\n\\s*", " ");
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : joined.split("\n")) {
            if (line.startsWith("ENV ")) {
                Matcher pair = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(?:\"([^\"]*)\"|(\\S+))").matcher(line.substring(4));
                while (pair.find()) {
                    env.put(pair.group(1), pair.group(2) != null ? pair.group(2) : pair.group(3));
                }
            }
        }
        return env;
    }

    /** A -XX:NAME=value or -DNAME=value in a JVM option string, or null. */
    static String jvmOption(String options, String prefix) {
        Matcher matcher = Pattern.compile("(?:^|\\s)" + Pattern.quote(prefix) + "=(\\S+)").matcher(options);
        return matcher.find() ? matcher.group(1) : null;
    }

    /**
     * The JVM options a seqrec container runs with (compose's JAVA_TOOL_OPTIONS replaces the image's) bound the heap
     * and ND4J's off-heap buffers relative to the container's memory, together well under it.
     */
    @Test
    void heapAndNd4jOffHeapMemoryAreBoundedRelativeToTheContainer() {
        String image = imageEnvironment().get("JAVA_TOOL_OPTIONS");
        assertTrue(image != null, "the image sets JAVA_TOOL_OPTIONS: " + imageEnvironment());
        for (String name : seqrecServices()) {
            String options = environment(name).getOrDefault("JAVA_TOOL_OPTIONS", image);
            assertFalse(Pattern.compile("(?:^|\\s)-Xmx").matcher(options).find(),
                    name + ": a fixed heap ignores the container's limit: " + options);
            String heap = jvmOption(options, "-XX:MaxRAMPercentage");
            assertTrue(heap != null, name + ": the heap is a share of the container's memory: " + options);
            String offHeap = jvmOption(options, "-Dorg.bytedeco.javacpp.maxbytes");
            assertTrue(offHeap != null && offHeap.matches("\\d+%"),
                    name + ": ND4J's off-heap limit is a share of the heap (javacpp's N%): " + options);
            assertEquals("0", jvmOption(options, "-Dorg.bytedeco.javacpp.maxphysicalbytes"),
                    name + ": javacpp's per-allocation resident-size check is off, as in bin/seqrec: " + options);
            double total = Double.parseDouble(heap) * (1 + Double.parseDouble(offHeap.replace("%", "")) / 100);
            assertTrue(total <= 80, name + ": heap + ND4J may take " + total + "% of the container's memory; "
                    + "metaspace, threads, RocksDB and native libraries need the rest");
        }
    }

    /** The image sets every javacpp property the launcher sets, so `docker run` and bin/seqrec behave alike. */
    @Test
    void theImageSetsTheJavacppPropertiesThatBinSeqrecSets() throws IOException {
        String launcher = Files.readString(DOCKER.resolveSibling("bin").resolve("seqrec"));
        Matcher defaults = Pattern.compile("DEFAULT_JAVA_OPTS=\"([^\"]*)\"").matcher(launcher);
        assertTrue(defaults.find(), "bin/seqrec's DEFAULT_JAVA_OPTS");
        Matcher property = Pattern.compile("-D(org\\.bytedeco\\.javacpp\\.[A-Za-z]+)=").matcher(defaults.group(1));
        String image = imageEnvironment().get("JAVA_TOOL_OPTIONS");
        int found = 0;
        while (property.find()) {
            assertTrue(jvmOption(image, "-D" + property.group(1)) != null, property.group(1) + " in " + image);
            found++;
        }
        assertTrue(found >= 2, "maxbytes and maxphysicalbytes: " + defaults.group(1));
        assertEquals(jvmOption(defaults.group(1), "-Dorg.bytedeco.javacpp.maxphysicalbytes"),
                jvmOption(image, "-Dorg.bytedeco.javacpp.maxphysicalbytes"));
    }

    /** What a container runs: the image's entry point is the launcher, so `command` is its argument list. */
    static List<String> command(String service) {
        return list(service(service).get("command")).stream().map(String::valueOf).toList();
    }

    static CommandLine.ParseResult parseAsTheContainerWould(String service) {
        CommandLine cli = new CommandLine(new SeqrecCli());
        cli.setDefaultValueProvider(new EnvironmentDefaults(environment(service)));
        return cli.parseArgs(command(service).toArray(String[]::new));
    }

    /** application.yml's keys, flattened, as the environment variable Micronaut maps onto each. */
    static List<String> applicationPropertiesAsVariables() throws IOException {
        List<String> variables = new ArrayList<>();
        try (var in = DockerFilesTest.class.getResourceAsStream("/application.yml")) {
            flatten("", map(new Yaml().load(in)), variables);
        }
        return variables;
    }

    private static void flatten(String prefix, Map<String, Object> node, List<String> into) {
        node.forEach((key, value) -> {
            String name = prefix.isEmpty() ? key : prefix + "." + key;
            if (value instanceof Map<?, ?>) {
                flatten(name, map(value), into);
            } else {
                into.add(name.toUpperCase(java.util.Locale.ROOT).replaceAll("[.-]", "_"));
            }
        });
    }

    @Test
    void seqrecServicesCommandsParseWithTheirEnvironment() {
        for (String name : seqrecServices()) {
            CommandLine.ParseResult parsed = parseAsTheContainerWould(name); // throws on unknown or missing options
            assertTrue(parsed.hasSubcommand(), name + " runs a seqrec command");
        }
    }

    @Test
    void everySeqrecVariableIsAnOptionOfTheCommandOrAnApplicationProperty() throws IOException {
        List<String> properties = applicationPropertiesAsVariables();
        for (String name : seqrecServices()) {
            CommandLine.ParseResult parsed = parseAsTheContainerWould(name);
            while (parsed.hasSubcommand()) {
                parsed = parsed.subcommand();
            }
            CommandLine.Model.CommandSpec spec = parsed.commandSpec();
            List<String> options = spec.options().stream()
                    .map(option -> EnvironmentDefaults.variableName(spec.qualifiedName(" "), option.longestName())).toList();
            for (String variable : environment(name).keySet()) {
                if (variable.startsWith(EnvironmentDefaults.PREFIX)) {
                    assertTrue(options.contains(variable) || properties.contains(variable),
                            name + ": " + variable + " is neither an option of '" + spec.qualifiedName(" ")
                                    + "' nor a key of application.yml");
                }
            }
        }
    }

    @Test
    void servedPortAndAddressAreTheOnesPublished() {
        CommandLine.Model.CommandSpec serve = parseAsTheContainerWould("seqrec").subcommand().commandSpec();
        assertEquals("serve", serve.name());
        String published = interpolate(String.valueOf(list(service("seqrec").get("ports")).get(0))).replaceFirst(".*:", "");
        assertEquals(published, String.valueOf(serve.findOption("--port").<Object>getValue()));
        assertEquals("0.0.0.0", serve.findOption("--host").getValue(), "inside a container it must listen beyond loopback");
    }
}
