package dev.seqrec.cli;

import dev.seqrec.report.TextTable;
import dev.seqrec.trainer.checkpoint.Checkpoint;
import dev.seqrec.trainer.checkpoint.Provenance;
import dev.seqrec.trainer.model.ComputeBackend;
import dev.seqrec.trainer.model.EncoderConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seqrec inspect}: what checkpoints are and where they came from, and their tensors' norms side by side. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Prints what checkpoints hold: model kind and version, encoder configuration, provenance (source, "
                + "data file and its SHA-256, epoch, metrics, software versions) and every tensor's shape and norm, "
                + "one norm column per checkpoint: the tensors of all of them, with - where a checkpoint has no such "
                + "tensor.")
final class InspectCommand implements Callable<Integer> {
    /** The norm cell of a checkpoint that has no tensor of the row's name. */
    static final String MISSING = "-";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "DIR",
            description = "A checkpoint or a training output (its best/); repeat to compare several.")
    List<Path> checkpoints = new ArrayList<>();

    @Option(names = "--format", paramLabel = "text|markdown", defaultValue = "text",
            description = "Layout of the tensor table. Default: ${DEFAULT-VALUE}.")
    String format;

    @Override
    public Integer call() throws Exception {
        ComputeBackend.start();
        EvalCommand.TableFormat tableFormat = EvalCommand.TableFormat.named(format, spec);
        List<Checkpoint> loaded = new ArrayList<>();
        PrintWriter out = spec.commandLine().getOut();
        List<String> labels = CheckpointLabels.of(checkpoints);
        for (int c = 0; c < checkpoints.size(); c++) {
            Path dir = Checkpoint.resolve(checkpoints.get(c));
            Checkpoint checkpoint = Checkpoint.load(dir);
            loaded.add(checkpoint);
            describe(out, labels.get(c), dir, checkpoint);
        }
        List<String> headers = new ArrayList<>(List.of("tensor", "shape"));
        labels.forEach(label -> headers.add(label + " norm"));
        TextTable table = new TextTable(headers, TextTable.DEFAULT_DECIMALS);
        // every checkpoint's tensors, in order of first appearance: a deeper model's extra blocks come after the rest
        Map<String, INDArray> firstOfName = new LinkedHashMap<>();
        for (Checkpoint checkpoint : loaded) {
            checkpoint.weights().tensors().forEach(firstOfName::putIfAbsent);
        }
        for (Map.Entry<String, INDArray> entry : firstOfName.entrySet()) {
            INDArray first = entry.getValue();
            List<Object> row = new ArrayList<>(List.of(entry.getKey(), Arrays.toString(first.shape())));
            for (Checkpoint checkpoint : loaded) {
                INDArray tensor = checkpoint.weights().tensors().get(entry.getKey());
                if (tensor == null) {
                    row.add(MISSING);
                } else {
                    row.add(Arrays.equals(tensor.shape(), first.shape()) ? tensor.norm2Number().doubleValue()
                            : "shape " + Arrays.toString(tensor.shape()));
                }
            }
            table.addRow(row);
        }
        EvalCommand.print(out, table, tableFormat);
        out.flush();
        return 0;
    }

    private static void describe(PrintWriter out, String label, Path dir, Checkpoint checkpoint) throws Exception {
        EncoderConfig c = checkpoint.config();
        Provenance p = checkpoint.provenance();
        out.printf(Locale.ROOT, "%s (%s): %s, model version %s%n", label, dir,
                checkpoint.kind().name().toLowerCase(Locale.ROOT), Checkpoint.modelVersion(dir));
        out.printf(Locale.ROOT,
                "  encoder: %s, d %d, %s, %s, inner %d, max length %d, dropout %s / %s%n",
                Plural.count(c.numItems(), "item"), c.hiddenSize(), Plural.count(c.layers(), "layer"),
                Plural.count(c.heads(), "head"), c.innerSize(), c.maxLength(), c.hiddenDropout(), c.attentionDropout());
        out.printf(Locale.ROOT, "  provenance: %s from %s (sha256 %s), epoch %d, created %s%n", p.source(),
                p.dataFile(), p.dataSha256(), p.epoch(), p.created());
        out.printf(Locale.ROOT, "  versions: seqrec %s, ND4J %s%n", p.seqrecVersion(), p.nd4jVersion());
        if (!p.metrics().isEmpty()) {
            out.printf(Locale.ROOT, "  metrics: %s%n", p.metrics().entrySet().stream()
                    .map(e -> String.format(Locale.ROOT, "%s %.4f", e.getKey(), e.getValue()))
                    .collect(Collectors.joining(", ")));
        }
        if (!p.options().isEmpty()) {
            out.printf(Locale.ROOT, "  options: %s%n", p.options().entrySet().stream()
                    .map(InspectCommand::option).collect(Collectors.joining(", ")));
        }
    }

    private static String option(Map.Entry<String, Object> e) {
        return e.getKey() + " " + e.getValue();
    }

}
