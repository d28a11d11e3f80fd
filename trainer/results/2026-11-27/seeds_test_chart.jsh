// Test HR@20 of every finished MCLRec seed on Beauty (spec preset, uniform batches): the kept model (best validation
// MRR@10, the spec's selection) and, where it was evaluated (test-last.json), the run's last epoch, against the
// reference checkpoint's 0.1243. From the repository root, after `mvn -q -DskipTests package`:
//   jshell --class-path "report/target/classes:$(ls cli/target/lib/jackson-{core,databind,annotations}-2*.jar | paste -sd:)" \
//       trainer/results/2026-11-27/seeds_test_chart.jsh
import dev.seqrec.report.LineChart;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.*;
import java.util.*;

Path results = Path.of("trainer/results");
ObjectMapper json = new ObjectMapper();
// run directory, seed
String[][] runs = {
    {"2026-11-26/mclrec-beauty-uniform", "2020"},
    {"2026-11-26/mclrec-beauty-uniform-seed2021", "2021"},
    {"2026-11-26/mclrec-beauty-uniform-seed2022", "2022"},
    {"2026-11-26/mclrec-beauty-uniform-seed2023", "2023"},
    {"2026-11-26/mclrec-beauty-uniform-seed2026", "2026"},
    {"2026-11-27/mclrec-beauty-uniform-seed2027", "2027"},
    {"2026-11-27/mclrec-beauty-uniform-seed2028", "2028"},
    {"2026-11-27/mclrec-beauty-uniform-seed2029", "2029"},
    {"2026-11-27/mclrec-beauty-uniform-seed2030", "2030"}};

LineChart chart = new LineChart("MCLRec on Beauty: test HR@20 by seed, kept model (best valid MRR@10) and last epoch",
        "seed", "test HR@20");
List<Double> seeds = new ArrayList<>(), kept = new ArrayList<>(), lastSeeds = new ArrayList<>(), last = new ArrayList<>();
for (String[] run : runs) {
    Path dir = results.resolve(run[0]);
    seeds.add(Double.parseDouble(run[1]));
    kept.add(json.readTree(dir.resolve("test.json").toFile()).path("metrics").path("hr@20").asDouble());
    Path lastFile = dir.resolve("test-last.json");
    if (Files.exists(lastFile)) {
        lastSeeds.add(Double.parseDouble(run[1]));
        last.add(json.readTree(lastFile.toFile()).path("metrics").path("hr@20").asDouble());
    }
}
double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
}
double mean = kept.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
double first = seeds.get(0), end = seeds.get(seeds.size() - 1);
chart.addSeries("kept model (the spec's selection)", toArray(seeds), toArray(kept));
chart.addSeries("last epoch's model", toArray(lastSeeds), toArray(last));
chart.addSeries(String.format(Locale.ROOT, "mean of the kept models, %.4f", mean), new double[] {first, end},
        new double[] {mean, mean});
chart.addSeries("reference checkpoint, 0.1243", new double[] {first, end}, new double[] {0.1243, 0.1243});
Path out = results.resolve("2026-11-27/seeds-test-hr20.png");
chart.writePng(out, 1000, 560);
System.out.println("wrote " + out);
/exit
