package dev.seqrec.trainer.training;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqrec.trainer.checkpoint.ModelKind;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class TrainingOptionsTest {
    /** Every model reads every option: the one to check value validation on. */
    private static final TrainingOptions MCLREC = TrainingOptions.defaults(ModelKind.MCLREC, DatasetPreset.BEAUTY);
    private static final ObjectiveWeights W = MCLREC.objective();
    private static final double NAN = Double.NaN;
    private static final double INFINITY = Double.POSITIVE_INFINITY;

    /** Values that passed the sign checks, then made the weights NaN in the first epoch or failed only in Trainer. */
    static Stream<Arguments> valuesThatRuinTraining() {
        return Stream.of(
                refused("--init-std", NAN, b -> b.initStd(NAN)),
                refused("--init-std", 0, b -> b.initStd(0)),
                refused("--init-std", -0.02, b -> b.initStd(-0.02)),
                refused("--layer-norm-eps", -1, b -> b.layerNormEps(-1)),
                refused("--layer-norm-eps", NAN, b -> b.layerNormEps(NAN)),
                refused("--regularizer-weight", NAN, objective(weights(W.lambda(), W.beta(), W.temperature(), NAN))),
                refused("--regularizer-weight", -0.1, objective(weights(W.lambda(), W.beta(), W.temperature(), -0.1))),
                refused("--lr", INFINITY, b -> b.learningRate(INFINITY)),
                refused("--lambda", INFINITY,
                        objective(weights(INFINITY, W.beta(), W.temperature(), W.regularizerWeight()))),
                refused("--beta", INFINITY,
                        objective(weights(W.lambda(), INFINITY, W.temperature(), W.regularizerWeight()))),
                refused("--temperature", INFINITY,
                        objective(weights(W.lambda(), W.beta(), INFINITY, W.regularizerWeight()))),
                refused("--temperature", NAN, objective(weights(W.lambda(), W.beta(), NAN, W.regularizerWeight()))),
                refused("--heads", 3, b -> b.heads(3)),
                refused("--max-length", 0, b -> b.maxLength(0)));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("valuesThatRuinTraining")
    void aValueThatWouldRuinTrainingIsRefusedNamingItsOption(String option, UnaryOperator<TrainingOptions.Builder> set) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> set.apply(MCLREC.toBuilder()).build());
        assertTrue(e.getMessage().startsWith(option + " "), e.getMessage());
    }

    /** Options that another model would ignore while its provenance recorded them. */
    static Stream<Arguments> optionsTheModelDoesNotRead() {
        ObjectiveWeights cl4srec = TrainingOptions.defaults(ModelKind.CL4SREC, DatasetPreset.BEAUTY).objective();
        return Stream.of(
                Arguments.of(ModelKind.SASREC, "--beta", Named.of("--beta 0.1",
                        objective(weights(0, 0.1, W.temperature(), W.regularizerWeight())))),
                Arguments.of(ModelKind.CL4SREC, "--beta", Named.of("--beta 0.1",
                        objective(weights(cl4srec.lambda(), 0.1, W.temperature(), W.regularizerWeight())))),
                Arguments.of(ModelKind.CL4SREC, "--regularizer-weight", Named.of("--regularizer-weight 0.5",
                        objective(weights(cl4srec.lambda(), 0, W.temperature(), 0.5)))),
                Arguments.of(ModelKind.CL4SREC, "--no-regularizer", Named.of("--no-regularizer",
                        objective(new ObjectiveWeights(cl4srec.lambda(), 0, W.temperature(), W.regularizerWeight(),
                                false, false)))),
                Arguments.of(ModelKind.CL4SREC, "--joint", Named.of("--joint",
                        objective(new ObjectiveWeights(cl4srec.lambda(), 0, W.temperature(), W.regularizerWeight(),
                                true, true)))),
                Arguments.of(ModelKind.SASREC, "--lambda", Named.of("--lambda 0.1",
                        objective(weights(0.1, 0, W.temperature(), W.regularizerWeight())))),
                Arguments.of(ModelKind.SASREC, "--temperature", Named.of("--temperature 0.5",
                        objective(weights(0, 0, 0.5, W.regularizerWeight())))),
                Arguments.of(ModelKind.SASREC, "--crop-ratio", Named.<UnaryOperator<TrainingOptions.Builder>>of(
                        "--crop-ratio 0.2", b -> b.cropRatio(0.2))),
                Arguments.of(ModelKind.SASREC, "--mask-ratio", Named.<UnaryOperator<TrainingOptions.Builder>>of(
                        "--mask-ratio 0.2", b -> b.maskRatio(0.2))),
                Arguments.of(ModelKind.SASREC, "--reorder-ratio", Named.<UnaryOperator<TrainingOptions.Builder>>of(
                        "--reorder-ratio 0.2", b -> b.reorderRatio(0.2))));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("optionsTheModelDoesNotRead")
    void anOptionTheModelDoesNotReadIsRefusedNamingOptionAndModel(ModelKind model, String option,
                                                                 UnaryOperator<TrainingOptions.Builder> set) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> set.apply(TrainingOptions.builder(model, DatasetPreset.BEAUTY)).build());
        assertTrue(e.getMessage().startsWith(option + " "), e.getMessage());
        assertTrue(e.getMessage().contains(model.label() + " would ignore it"), e.getMessage());
    }

    @Test
    void aValidationMetricThatValidationDoesNotComputeIsRefused() {
        for (String metric : List.of("map@10", "mrr@15", "MRR@10", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MCLREC.toBuilder().validMetric(metric).build(), metric);
            assertEquals("--valid-metric must be hr, ndcg or mrr at 5, 10, 20 or 50 (such as mrr@10), got " + metric,
                    e.getMessage());
        }
        assertEquals("mrr@10", MCLREC.validMetric());
        assertDoesNotThrow(() -> MCLREC.toBuilder().validMetric("hr@20").build());
    }

    @Test
    void bucketBatchesUnderUniformBatchingAreRefusedAsUnread() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MCLREC.toBuilder().batching(Batching.UNIFORM).bucketBatches(8).build());
        assertEquals("--bucket-batches 8 is only read by length-buckets batching; --batching uniform would ignore it",
                e.getMessage());
        assertDoesNotThrow(() -> MCLREC.toBuilder().batching(Batching.LENGTH_BUCKETS).bucketBatches(8).build());
    }

    @Test
    void aRegularizerWeightWithoutTheRegularizerIsRefusedAsUnread() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MCLREC.toBuilder()
                .objective(new ObjectiveWeights(W.lambda(), W.beta(), W.temperature(), 5, false, false)).build());
        assertEquals("--regularizer-weight 5.0 is only read by the regulariser R; --no-regularizer would ignore it",
                e.getMessage());
        assertDoesNotThrow(() -> MCLREC.toBuilder().objective(new ObjectiveWeights(W.lambda(), W.beta(),
                W.temperature(), W.regularizerWeight(), false, false)).build());
    }

    @Test
    void optionsSwitchedOffByOthersAreNotComparedOnResume() {
        TrainingOptions plain = MCLREC.toBuilder().objective(new ObjectiveWeights(W.lambda(), W.beta(),
                W.temperature(), W.regularizerWeight(), false, false)).build();
        assertTrue(plain.unread().containsAll(Set.of("bucketBatches", "objective.regularizerWeight")), plain.unread().toString());
        assertFalse(MCLREC.toBuilder().batching(Batching.LENGTH_BUCKETS).build().unread().contains("bucketBatches"));
    }

    @Test
    void lengthBucketWindowsBeyondAnIntAreRefusedNamingBothOptions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MCLREC.toBuilder()
                .batching(Batching.LENGTH_BUCKETS).batchSize(256).bucketBatches(10_000_000).build());
        assertEquals("--bucket-batches 10000000 times --batch-size 256 is more than 2147483647 samples per "
                + "length-sorting window", e.getMessage());
        assertDoesNotThrow(() -> MCLREC.toBuilder().batching(Batching.LENGTH_BUCKETS).batchSize(256)
                .bucketBatches(Integer.MAX_VALUE / 256).build());
    }

    @ParameterizedTest
    @EnumSource(ModelKind.class)
    void everyPresetGivesValidOptionsForTheModel(ModelKind model) {
        for (DatasetPreset preset : DatasetPreset.values()) {
            assertDoesNotThrow(() -> TrainingOptions.defaults(model, preset), preset.label());
        }
    }

    private static Arguments refused(String option, Object value, UnaryOperator<TrainingOptions.Builder> set) {
        return Arguments.of(option, Named.of(option + " " + value, set));
    }

    private static UnaryOperator<TrainingOptions.Builder> objective(ObjectiveWeights weights) {
        return b -> b.objective(weights);
    }

    private static ObjectiveWeights weights(double lambda, double beta, double temperature, double regularizerWeight) {
        return new ObjectiveWeights(lambda, beta, temperature, regularizerWeight, true, false);
    }
}
