// Validation MRR@10 by epoch of every seqrec MCLRec run on Beauty with the spec's batches, against the reference
// checkpoint's. From the repository root, after `mvn -q -DskipTests package`:
//   jshell --class-path report/target/classes trainer/results/2026-11-26/seeds_chart.jsh
import dev.seqrec.report.LineChart;
import java.nio.file.*;
import java.util.*;

Path dir = Path.of("trainer/results/2026-11-26");
String[][] runs = {
    {"mclrec-beauty-uniform", "seed 2020"},
    {"mclrec-beauty-uniform-seed2021", "seed 2021"},
    {"mclrec-beauty-uniform-seed2022", "seed 2022"},
    {"mclrec-beauty-uniform-seed2023", "seed 2023"},
    {"mclrec-beauty-uniform-beta0.01-seed2024", "beta 0.01, seed 2024"}};
LineChart chart = new LineChart("MCLRec on Beauty: validation MRR@10 by epoch (reference checkpoint 0.0391)", "epoch",
        "valid MRR@10");
double maxEpoch = 0;
for (String[] run : runs) {
    List<String> lines = Files.readAllLines(dir.resolve(run[0]).resolve("curve.csv"));
    List<String> header = Arrays.asList(lines.get(0).split(","));
    int epochColumn = header.indexOf("epoch");
    int metricColumn = header.indexOf("valid_mrr@10");
    double[] x = new double[lines.size() - 1];
    double[] y = new double[lines.size() - 1];
    for (int i = 1; i < lines.size(); i++) {
        String[] cells = lines.get(i).split(",");
        x[i - 1] = Double.parseDouble(cells[epochColumn]);
        y[i - 1] = Double.parseDouble(cells[metricColumn]);
    }
    maxEpoch = Math.max(maxEpoch, x[x.length - 1]);
    chart.addSeries(run[1], x, y);
}
chart.addSeries("reference checkpoint", new double[] {1, maxEpoch}, new double[] {0.0391, 0.0391});
chart.writePng(dir.resolve("seeds-valid-mrr10.png"), 1000, 560);
System.out.println("wrote " + dir.resolve("seeds-valid-mrr10.png"));
/exit
