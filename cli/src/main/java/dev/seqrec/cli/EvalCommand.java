package dev.seqrec.cli;

import dev.seqrec.report.AtomicFile;
import dev.seqrec.eval.EvaluationOptions;
import dev.seqrec.eval.EvaluationResult;
import dev.seqrec.eval.FullRankingEvaluator;
import dev.seqrec.eval.MetricsByHistoryLength;
import dev.seqrec.eval.NextItemScorer;
import dev.seqrec.eval.PairedComparison;
import dev.seqrec.eval.RankMetric;
import dev.seqrec.eval.baseline.Baselines;
import dev.seqrec.eval.data.DatasetFormat;
import dev.seqrec.eval.data.DatasetReader;
import dev.seqrec.eval.data.ReadOptions;
import dev.seqrec.eval.data.SequenceDataset;
import dev.seqrec.eval.split.EvaluationCases;
import dev.seqrec.eval.split.LeaveOneOutSplit;
import dev.seqrec.eval.split.Split;
import dev.seqrec.report.TextTable;
import dev.seqrec.trainer.checkpoint.Checkpoint;
import dev.seqrec.trainer.model.ComputeBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seqrec eval}: leave-one-out, full-ranking evaluation of one or more scorers on a dataset file. */
@Command(name = "eval",
        mixinStandardHelpOptions = true,
        description = "Evaluates next-item scorers by full ranking on a leave-one-out split (mclrec-spec sections 2-3) "
                + "and prints one table row per scorer: HR, NDCG and MRR at each cutoff.")
public final class EvalCommand implements Callable<Integer> {

    /** Output layouts of the metrics table. */
    enum TableFormat {
        TEXT, MARKDOWN;

        /** The layout a {@code --format} value names; a usage error for any other value. */
        static TableFormat named(String value, CommandLine.Model.CommandSpec command) {
            for (TableFormat candidate : values()) {
                if (candidate.name().toLowerCase(Locale.ROOT).equals(value)) {
                    return candidate;
                }
            }
            throw new CommandLine.ParameterException(command.commandLine(),
                    "--format must be text or markdown, got '" + value + "'");
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "FILE",
            description = "Interaction file: .txt (user item item ...), .inter (RecBole atomic) or .csv (user,item[,timestamp]).")
    Path data;

    @Option(names = "--data-format", paramLabel = "txt|inter|csv",
            description = "Read --data in this format whatever its extension.")
    String dataFormat;

    @Option(names = "--k-core", paramLabel = "K", defaultValue = "0",
            description = "Remove users and items with fewer than K interactions, repeatedly (0 = off; the reference uses 5). Default: ${DEFAULT-VALUE}.")
    int kCore;

    @Option(names = "--model", paramLabel = "NAME",
            description = "A baseline to evaluate; repeat to compare several. Known: pop.")
    List<String> models = new ArrayList<>();

    @Option(names = "--checkpoint", paramLabel = "DIR",
            description = "A trained or imported model: a checkpoint directory or a training output (its best/); repeat to compare several.")
    List<Path> checkpoints = new ArrayList<>();

    @Option(names = "--split", paramLabel = "test|valid", defaultValue = "test",
            description = "Held-out item: test = last, valid = second to last. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--exclude-seen",
            description = "Serving-style ranking: remove every item the user interacted with before the target from the "
                    + "candidates, the whole history and not only the --max-history items the model reads (a seen "
                    + "target is a miss).")
    boolean excludeSeen;

    @Option(names = "--max-history", paramLabel = "L",
            description = "Keep only the last L items of each history. Default: the largest max length of the "
                    + "--checkpoint models (what their training evaluated with), else "
                    + LeaveOneOutSplit.DEFAULT_MAX_HISTORY + ".")
    Integer maxHistory;

    @Option(names = "--cutoffs", paramLabel = "K", split = ",", defaultValue = "5,10,20,50",
            description = "Cutoffs k of HR@k, NDCG@k and MRR@k, ascending. Default: ${DEFAULT-VALUE}.")
    List<Integer> cutoffs;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Also write the results as JSON: an object with dataset, split, model, users, items and metrics (an array of them for several models). "
                    + "Not the --data file, nor a path inside a --checkpoint.")
    Path out;

    @Option(names = "--format", paramLabel = "text|markdown", defaultValue = "text",
            description = "Table layout on stdout. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--no-progress", description = "Do not draw a progress bar on stderr.")
    boolean noProgress;

    @Option(names = "--by-length", paramLabel = "K",
            description = "Also print HR@K and NDCG@K of each model by history length (1, 2, 3, 4, 5, 6-7, 8-10, 11-15, 16-20, 21-30, 31-50, 51+).")
    Integer byLength;

    @Option(names = "--paired",
            description = "Also compare every other model with the table's first (the first --model, else the first --checkpoint), user by user: "
                    + "each metric's difference, its 95%% confidence interval, the paired t-test's p-value and how many users gained or lost "
                    + "(with --by-length, by history length too).")
    boolean paired;

    @Override
    public Integer call() throws IOException {
        Split heldOut = parseSplit();
        TableFormat tableFormat = TableFormat.named(format, spec);
        for (String model : models) {
            if (!Baselines.NAMES.contains(model)) {
                throw ChoiceOption.invalid(spec, "--model", model, Baselines.NAMES);
            }
        }
        if (models.isEmpty() && checkpoints.isEmpty()) {
            throw usage("nothing to evaluate; give at least one --model (known: " + String.join(", ", Baselines.NAMES) + ")");
        }
        if (kCore < 0 || maxHistory != null && maxHistory < 1) {
            throw usage(kCore < 0 ? "--k-core must be >= 0, got " + kCore : "--max-history must be >= 1, got " + maxHistory);
        }
        if (byLength != null && byLength < 1) {
            throw usage("--by-length must be >= 1, got " + byLength);
        }
        if (paired && models.size() + checkpoints.size() < 2) {
            throw usage("--paired needs at least two models (--model or --checkpoint) to compare");
        }
        ReadOptions readOptions = readOptions();
        if (out != null) {
            refuseUnsafeOut();
        }
        if (!checkpoints.isEmpty()) {
            ComputeBackend.start();
        }
        EvaluationOptions options;
        try {
            options = new EvaluationOptions(cutoffs, excludeSeen, !noProgress);
        } catch (IllegalArgumentException e) {
            throw usage("--cutoffs: " + e.getMessage());
        }

        SequenceDataset dataset = DatasetReader.read(data, readOptions);
        List<Checkpoint> loaded = new ArrayList<>();
        for (Path checkpoint : checkpoints) {
            loaded.add(Checkpoint.load(checkpoint));
        }
        EvaluationCases cases = new LeaveOneOutSplit(historyLimit(loaded)).cases(dataset, heldOut);
        if (cases.size() == 0) {
            throw new IllegalArgumentException(data + ": no user has the " + LeaveOneOutSplit.MIN_USER_ITEMS
                    + " or more items that a validation and a test case need; nothing to evaluate");
        }
        FullRankingEvaluator evaluator = new FullRankingEvaluator(options);
        List<EvaluationResult> results = new ArrayList<>();
        List<List<MetricsByHistoryLength.Group>> byLengthGroups = new ArrayList<>();
        List<int[]> allRanks = new ArrayList<>();
        for (NextItemScorer scorer : scorers(dataset, loaded)) {
            int[] ranks = evaluator.ranks(cases, scorer);
            allRanks.add(ranks);
            results.add(evaluator.result(dataset.name(), cases, scorer, ranks));
            if (byLength != null) {
                byLengthGroups.add(MetricsByHistoryLength.of(cases, ranks, byLength,
                        MetricsByHistoryLength.DEFAULT_UPPER_ENDS));
            }
        }

        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println(summary(dataset, cases));
        print(stdout, EvaluationResult.comparisonTable(results), tableFormat);
        if (byLength != null) {
            stdout.println();
            stdout.printf(Locale.ROOT, "HR@%d and NDCG@%d by history length:%n", byLength, byLength);
            print(stdout, byLengthTable(results, byLengthGroups), tableFormat);
        }
        if (paired) {
            stdout.println();
            stdout.printf(Locale.ROOT, "Paired with %s over the same %s (difference = model - %s; 95%% confidence "
                    + "interval and two-sided p-value of the paired t-test; better / worse: users whose value rose / fell):%n",
                    results.get(0).model(), Plural.count(cases.size(), "user"), results.get(0).model());
            print(stdout, pairedTable(results, allRanks, options.cutoffs()), tableFormat);
            if (byLength != null) {
                stdout.println();
                stdout.printf(Locale.ROOT, "HR@%d and NDCG@%d by history length, paired with %s:%n", byLength, byLength,
                        results.get(0).model());
                print(stdout, pairedByLengthTable(results, allRanks, cases), tableFormat);
            }
        }
        stdout.flush();
        if (out != null) {
            writeAtomically(out, results.size() == 1 ? results.get(0).toJson() : EvaluationResult.toJson(results));
        }
        return 0;
    }

    static void print(PrintWriter out, TextTable table, TableFormat format) {
        out.print(format == TableFormat.MARKDOWN ? table.toMarkdown() : table.toText());
    }

    /** One row per length group, with each model's HR@K and NDCG@K side by side; every model saw the same cases. */
    private TextTable byLengthTable(List<EvaluationResult> results, List<List<MetricsByHistoryLength.Group>> groups) {
        List<String> headers = new ArrayList<>(List.of("history length", "users"));
        for (EvaluationResult result : results) {
            headers.add(result.model() + " hr@" + byLength);
            headers.add(result.model() + " ndcg@" + byLength);
        }
        TextTable table = new TextTable(headers, TextTable.DEFAULT_DECIMALS);
        for (int g = 0; g < groups.get(0).size(); g++) {
            MetricsByHistoryLength.Group first = groups.get(0).get(g);
            List<Object> row = new ArrayList<>(List.of(first.label(), first.cases()));
            for (List<MetricsByHistoryLength.Group> model : groups) {
                row.add(model.get(g).hr());
                row.add(model.get(g).ndcg());
            }
            table.addRow(row);
        }
        return table;
    }

    /** One row per model after the first and metric: both values, the difference and how sure it is. */
    private static TextTable pairedTable(List<EvaluationResult> results, List<int[]> ranks, List<Integer> cutoffs) {
        String baseline = results.get(0).model();
        TextTable table = new TextTable(List.of("model", "metric", baseline, "model value", "difference",
                "95% interval", "p-value", "better", "worse"), TextTable.DEFAULT_DECIMALS);
        for (int m = 1; m < results.size(); m++) {
            for (PairedComparison.Difference d : PairedComparison.of(ranks.get(0), ranks.get(m), cutoffs)) {
                table.addRow(results.get(m).model(), d.metric(), d.baseline(), d.model(), signed(d.difference()),
                        interval(d), pValue(d.pValue()), d.better(), d.worse());
            }
        }
        return table;
    }

    /** One row per model after the first and length group: the differences of HR@K and NDCG@K and how sure they are. */
    private TextTable pairedByLengthTable(List<EvaluationResult> results, List<int[]> ranks, EvaluationCases cases) {
        String hr = RankMetric.HR.key(byLength);
        String ndcg = RankMetric.NDCG.key(byLength);
        TextTable table = new TextTable(List.of("model", "history length", "users", hr + " difference", "95% interval",
                "p-value", ndcg + " difference", "95% interval", "p-value"), TextTable.DEFAULT_DECIMALS);
        for (int m = 1; m < results.size(); m++) {
            for (MetricsByHistoryLength.PairedGroup group : MetricsByHistoryLength.paired(cases, ranks.get(0),
                    ranks.get(m), byLength, MetricsByHistoryLength.DEFAULT_UPPER_ENDS)) {
                List<Object> row = new ArrayList<>(List.of(results.get(m).model(), group.group().label(),
                        group.group().cases()));
                for (PairedComparison.Difference d : group.differences()) {
                    if (d.metric().equals(hr) || d.metric().equals(ndcg)) {
                        row.addAll(List.of(signed(d.difference()), interval(d), pValue(d.pValue())));
                    }
                }
                table.addRow(row);
            }
        }
        return table;
    }

    private static String interval(PairedComparison.Difference d) {
        return "[" + signed(d.low()) + ", " + signed(d.high()) + "]";
    }

    private static String signed(double value) {
        return String.format(Locale.ROOT, "%+.4f", value);
    }

    /** Three decimals, or the power of ten for small values, which are what a reader compares with 0.05 and 0.01. */
    private static String pValue(double p) {
        return p >= 0.001 ? String.format(Locale.ROOT, "%.3f", p) : String.format(Locale.ROOT, "%.1e", p);
    }

    /**
     * --max-history, else the longest history any checkpoint reads: training evaluates each model with its own max
     * length, so a shorter cap would report lower figures than its test.json (a shorter model truncates by itself).
     */
    private int historyLimit(List<Checkpoint> loaded) {
        if (maxHistory != null) {
            return maxHistory;
        }
        return loaded.stream().mapToInt(checkpoint -> checkpoint.config().maxLength()).max()
                .orElse(LeaveOneOutSplit.DEFAULT_MAX_HISTORY);
    }

    /** Every scorer to compare, in command-line order. */
    private List<NextItemScorer> scorers(SequenceDataset dataset, List<Checkpoint> loaded) throws IOException {
        List<NextItemScorer> scorers = new ArrayList<>();
        for (String model : models) {
            scorers.add(Baselines.fit(model, dataset));
        }
        List<String> labels = CheckpointLabels.of(checkpoints);
        for (int c = 0; c < loaded.size(); c++) {
            scorers.add(loaded.get(c).scorerFor(dataset, labels.get(c)));
        }
        return scorers;
    }

    private ReadOptions readOptions() {
        return ReadOptions.DEFAULTS.withKCore(kCore, kCore).withFormat(dataFormat(data, dataFormat, spec));
    }

    /**
     * The format {@code --data-format} names, else the one {@code --data}'s extension names; a usage error that says
     * what to give when neither does.
     */
    static DatasetFormat dataFormat(Path data, String dataFormat, CommandLine.Model.CommandSpec spec) {
        if (dataFormat != null) {
            try {
                return DatasetFormat.named(dataFormat);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--data-format: " + e.getMessage());
            }
        }
        try {
            return DatasetFormat.ofFile(data);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot tell the format of --data " + data
                    + " from its extension (.txt, .inter or .csv); give --data-format txt|inter|csv");
        }
    }

    /**
     * Refuses, before anything is evaluated, an {@code --out} that would replace the dataset or a file of a model
     * being evaluated, or that cannot be written for a reason known already: a directory there, or a file where its
     * directory should be.
     */
    private void refuseUnsafeOut() throws IOException {
        Path target = CliPaths.real(out);
        if (target.equals(CliPaths.real(data))) {
            throw usage("--out " + out + " is the --data file; writing the results there would replace the dataset");
        }
        for (Path checkpoint : checkpoints) {
            if (target.startsWith(CliPaths.real(checkpoint))) {
                throw usage("--out " + out + " is inside --checkpoint " + checkpoint
                        + "; writing the results there could replace the model's files; give a path outside it");
            }
        }
        if (Files.isDirectory(target)) {
            throw usage("--out " + out + " is a directory; give a file name");
        }
        Path ancestor = CliPaths.nearestExisting(target.getParent());
        if (ancestor != null && !Files.isDirectory(ancestor)) {
            throw usage("--out " + out + ": " + ancestor + " is a file, not a directory");
        }
    }

    private String summary(SequenceDataset dataset, EvaluationCases cases) {
        int skipped = LeaveOneOutSplit.skippedUsers(dataset);
        return String.format(Locale.ROOT, "%s, %s split: %s, %s, full ranking, history items %s%s",
                dataset.name(), cases.split().label(), Plural.count(cases.size(), "user"),
                Plural.count(dataset.numItems(), "item"), excludeSeen ? "excluded" : "kept",
                skipped == 0 ? "" : " (" + Plural.count(skipped, "user") + " with fewer than "
                        + LeaveOneOutSplit.MIN_USER_ITEMS + " items left out)");
    }

    private Split parseSplit() {
        for (Split candidate : Split.values()) {
            if (candidate.label().equals(split)) {
                return candidate;
            }
        }
        throw usage("--split must be test or valid, got '" + split + "'");
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** Writes beside the target, then renames, so an interrupted run never leaves a half-written file. */
    static void writeAtomically(Path file, String text) throws IOException {
        AtomicFile.writeString(file, text.endsWith("\n") ? text : text + "\n");
    }
}
