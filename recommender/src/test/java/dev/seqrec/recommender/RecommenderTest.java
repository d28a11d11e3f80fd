package dev.seqrec.recommender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqrec.recommender.model.ScoredItem;
import dev.seqrec.recommender.model.ServingModel;
import dev.seqrec.streaming.Interaction;
import dev.seqrec.streaming.RocksSequenceStore;
import dev.seqrec.streaming.StoreConfig;
import dev.seqrec.trainer.checkpoint.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecommenderTest {
    /** Fewer items than the test model reads, so the two limits differ. */
    private static final int SEEN_WINDOW = 3;
    private static final String USER = "u1";

    @TempDir
    Path dir;
    private ServingModel model;
    private Recommender recommender;

    @BeforeEach
    void open() {
        model = TestCheckpoints.model(dir.resolve("ckpt"), 1);
        recommender = new Recommender(model, null, RecommenderConfig.defaults());
    }

    @AfterEach
    void close() {
        recommender.close();
    }

    @Test
    void answersTheModelsTopItemsInOriginalIdsBestFirst() {
        Recommendation answer = recommender.recommend(List.of("i3", "i7"), 5, RecommendationFilters.NONE);
        assertNull(answer.fallback());
        assertEquals(model.version(), answer.modelVersion());
        assertEquals(5, answer.items().size());
        float[] scores = model.score(new int[] {3, 7});
        for (int i = 0; i < 5; i++) {
            ScoredItem item = answer.items().get(i);
            assertEquals(scores[model.itemId(item.item())], item.score(), 0f);
            if (i > 0) {
                assertTrue(answer.items().get(i - 1).score() >= item.score());
            }
        }
    }

    @Test
    void unknownItemsAreSkippedAndListed() {
        Recommendation withUnknown = recommender.recommend(List.of("nope", "i3", "gone", "i7", "nope"), 5,
                RecommendationFilters.NONE);
        Recommendation known = recommender.recommend(List.of("i3", "i7"), 5, RecommendationFilters.NONE);
        assertEquals(List.of("nope", "gone"), withUnknown.unknownItems());
        assertEquals(known.items(), withUnknown.items());
    }

    @Test
    void anEmptyOrAllUnknownHistoryGetsPopularItems() {
        Recommendation empty = recommender.recommend(List.of(), 3, RecommendationFilters.NONE);
        assertEquals(Recommendation.POPULARITY, empty.fallback());
        assertEquals(List.of("i1", "i2", "i3"), empty.items().stream().map(ScoredItem::item).toList());
        Recommendation unknown = recommender.recommend(List.of("x"), 3, RecommendationFilters.NONE);
        assertEquals(Recommendation.POPULARITY, unknown.fallback());
        assertEquals(List.of("x"), unknown.unknownItems());
    }

    @Test
    void filtersRemoveSeenAndExcludedItemsFromModelAndPopularityAnswers() {
        List<String> history = List.of("i1", "i2");
        List<String> all = recommender.recommend(history, TestCheckpoints.ITEMS, RecommendationFilters.NONE).items()
                .stream().map(ScoredItem::item).toList();
        assertEquals(TestCheckpoints.ITEMS, all.size());
        List<String> filtered = recommender.recommend(history, TestCheckpoints.ITEMS,
                new RecommendationFilters(true, Set.of("i5", "unknown"))).items().stream().map(ScoredItem::item).toList();
        List<String> expected = new ArrayList<>(all);
        expected.removeAll(List.of("i1", "i2", "i5"));
        assertEquals(expected, filtered);
        List<String> popular = recommender.recommend(List.of(), 2, new RecommendationFilters(false, Set.of("i1")))
                .items().stream().map(ScoredItem::item).toList();
        assertEquals(List.of("i2", "i3"), popular);
    }

    @Test
    void onlyTheMostRecentItemsTheEncoderReadsMatter() {
        List<String> recent = List.of("i1", "i2", "i3", "i4", "i5", "i6", "i7", "i8");
        List<String> longer = new ArrayList<>(List.of("i20", "i21", "i22"));
        longer.addAll(recent);
        assertEquals(recommender.recommend(recent, 5, RecommendationFilters.NONE).items(),
                recommender.recommend(longer, 5, RecommendationFilters.NONE).items());
    }

    @Test
    void aUsersRecommendationsReadTheModelsWholeHistoryNotJustTheSeenWindow() {
        List<String> history = firstItems(model.maxHistory());
        try (RocksSequenceStore store = storeOf(history); Recommender windowed = withSeenWindow(store)) {
            assertEquals(recommender.recommend(history, TestCheckpoints.ITEMS, RecommendationFilters.NONE).items(),
                    windowed.recommendForUser(USER, TestCheckpoints.ITEMS, RecommendationFilters.NONE).items());
        }
    }

    @Test
    void excludeSeenRemovesOnlyTheUsersItemsInTheSeenWindow() {
        List<String> history = firstItems(model.maxHistory());
        try (RocksSequenceStore store = storeOf(history); Recommender windowed = withSeenWindow(store)) {
            Set<String> answered = windowed.recommendForUser(USER, TestCheckpoints.ITEMS,
                    RecommendationFilters.excludingSeen()).items().stream().map(ScoredItem::item)
                    .collect(Collectors.toSet());
            List<String> seen = history.subList(history.size() - SEEN_WINDOW, history.size());
            assertEquals(TestCheckpoints.ITEMS - SEEN_WINDOW, answered.size());
            assertTrue(seen.stream().noneMatch(answered::contains), answered.toString());
        }
    }

    @Test
    void kOutsideItsRangeAndOverLongIdsAreRefusedWithTheReason() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> recommender.recommend(List.of("i1"), 0, RecommendationFilters.NONE));
        assertEquals("k must be between 1 and 1000, got 0", zero.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> recommender.recommend(List.of("i1"), 1001, RecommendationFilters.NONE));
        IllegalArgumentException longId = assertThrows(IllegalArgumentException.class,
                () -> recommender.recommend(List.of("x".repeat(257)), 5, RecommendationFilters.NONE));
        assertTrue(longId.getMessage().startsWith("item id is 257 characters long"), longId.getMessage());
    }

    @Test
    void similarItemsExcludeTheItemItselfAndUnknownItemsAreAnError() {
        List<ScoredItem> similar = recommender.similarItems("i4", 5).items();
        assertEquals(5, similar.size());
        assertFalse(similar.stream().anyMatch(s -> s.item().equals("i4")));
        assertThrows(Recommender.UnknownItemException.class, () -> recommender.similarItems("nope", 5));
    }

    @Test
    void similarItemsRankByCosineOfTheItemEmbeddings() throws IOException {
        double[][] table = Checkpoint.load(dir.resolve("ckpt")).weights().itemEmbedding().toDoubleMatrix();
        int item = 4;
        List<Integer> others = IntStream.rangeClosed(1, TestCheckpoints.ITEMS).filter(id -> id != item).boxed()
                .sorted(Comparator.comparingDouble((Integer id) -> -cosine(table[item], table[id]))
                        .thenComparing(Comparator.naturalOrder()))
                .toList();
        List<ScoredItem> similar = recommender.similarItems(TestCheckpoints.item(item), TestCheckpoints.ITEMS).items();
        assertEquals(others.stream().map(TestCheckpoints::item).toList(),
                similar.stream().map(ScoredItem::item).toList());
        for (int i = 0; i < others.size(); i++) {
            assertEquals(cosine(table[item], table[others.get(i)]), similar.get(i).score(), 1e-5);
        }
    }

    @Test
    void kLargerThanTheCatalogueAnswersEveryItemOnce() {
        for (boolean microBatching : List.of(true, false)) {
            try (Recommender unlimited = new Recommender(model, null,
                    config(Integer.MAX_VALUE, RecommenderConfig.DEFAULT_SEEN_WINDOW, microBatching))) {
                for (List<String> history : List.of(List.of("i3", "i7"), List.<String>of())) { // the model, popularity
                    List<String> items = unlimited.recommend(history, Integer.MAX_VALUE, RecommendationFilters.NONE)
                            .items().stream().map(ScoredItem::item).toList();
                    assertEquals(TestCheckpoints.ITEMS, Set.copyOf(items).size(), items.toString());
                    assertEquals(TestCheckpoints.ITEMS, items.size(), items.toString());
                }
                assertEquals(TestCheckpoints.ITEMS - 1, unlimited.similarItems("i4", Integer.MAX_VALUE).items().size());
            }
        }
    }

    @Test
    void withoutASequenceStoreAUsersRecommendationsAndHistoryAreRefused() {
        for (Executable call : List.<Executable>of(
                () -> recommender.recommendForUser(USER, 5, RecommendationFilters.NONE),
                () -> recommender.recommendForUserAsync(USER, 5, RecommendationFilters.NONE),
                () -> recommender.history(USER, 5))) {
            assertEquals("this recommender has no sequence store",
                    assertThrows(IllegalStateException.class, call).getMessage());
        }
    }

    @Test
    void aHistoryIsAnsweredForOneToSeenWindowItems() {
        List<String> history = firstItems(model.maxHistory());
        try (RocksSequenceStore store = storeOf(history); Recommender windowed = withSeenWindow(store)) {
            assertEquals(history.subList(history.size() - SEEN_WINDOW, history.size()),
                    windowed.history(USER, SEEN_WINDOW));
            assertEquals(List.of(), windowed.history("someone else", 1));
            assertEquals("n must be between 1 and 3, got 0",
                    assertThrows(IllegalArgumentException.class, () -> windowed.history(USER, 0)).getMessage());
            assertEquals("n must be between 1 and 3, got 4", assertThrows(IllegalArgumentException.class,
                    () -> windowed.history(USER, SEEN_WINDOW + 1)).getMessage());
        }
    }

    /** Java would encode "bob\ud800" as the bytes of "bob?", another user's key. */
    @Test
    void aUserIdWithAnUnpairedSurrogateIsRefusedRatherThanReadAsAnotherUsers() {
        try (RocksSequenceStore store = storeOf(List.of("i3", "i7"))) {
            store.append(List.of(Interaction.of("bob?", "i3")));
            try (Recommender withStore = new Recommender(model, store, RecommenderConfig.defaults())) {
                for (Executable call : List.<Executable>of(() -> withStore.history("bob\ud800", 5),
                        () -> withStore.recommendForUser("bob\ud800", 5, RecommendationFilters.NONE))) {
                    assertEquals("user id is not valid Unicode (an unpaired surrogate at index 3)",
                            assertThrows(IllegalArgumentException.class, call).getMessage());
                }
            }
        }
    }

    @Test
    void aHistoryOfMoreItemsThanAcceptedIsRefusedWithItsLength() {
        int most = RecommenderConfig.DEFAULT_MAX_HISTORY_ITEMS;
        assertEquals(TestCheckpoints.ITEMS - 1, recommender.recommend(Collections.nCopies(most, "i1"),
                TestCheckpoints.ITEMS, RecommendationFilters.excludingSeen()).items().size());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> recommender.recommend(Collections.nCopies(most + 1, "i1"), 5, RecommendationFilters.NONE));
        assertEquals("history has 1001 items; at most 1000 are accepted", error.getMessage());
    }

    @Test
    void emptyAndNullIdsAreRefusedAsEmpty() {
        List<Map.Entry<String, Executable>> cases = List.of(
                Map.entry("item id", () -> recommender.recommend(List.of("i1", ""), 5, RecommendationFilters.NONE)),
                Map.entry("item id", () -> recommender.recommend(Arrays.asList("i1", null), 5,
                        RecommendationFilters.NONE)),
                Map.entry("item id", () -> recommender.similarItems("", 5)),
                Map.entry("user id", () -> recommender.recommendForUser("", 5, RecommendationFilters.NONE)),
                Map.entry("user id", () -> recommender.history(null, 5)));
        for (Map.Entry<String, Executable> c : cases) {
            assertEquals(c.getKey() + " must not be empty",
                    assertThrows(IllegalArgumentException.class, c.getValue()).getMessage());
        }
    }

    @Test
    void nullArgumentsAreRefusedNamingTheArgument() {
        List<Map.Entry<String, Executable>> cases = List.of(
                Map.entry("history", () -> recommender.recommend(null, 5, RecommendationFilters.NONE)),
                Map.entry("filters", () -> recommender.recommend(List.of("i1"), 5, null)),
                Map.entry("filters", () -> recommender.recommend(List.of(), 5, null)), // the popularity fallback
                Map.entry("filters", () -> recommender.recommendForUser(USER, 5, null)),
                Map.entry("model", () -> recommender.swapModel(null)),
                Map.entry("excludedItems", () -> new RecommendationFilters(false, null)),
                Map.entry("excludedItems contains null",
                        () -> new RecommendationFilters(false, new HashSet<>(Arrays.asList("i1", null)))));
        for (Map.Entry<String, Executable> c : cases) {
            assertEquals(c.getKey(), assertThrows(NullPointerException.class, c.getValue()).getMessage());
        }
    }

    @Test
    void aLimitThatIsNotPositiveIsRefusedNamingIt() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> config(1000, 0, true));
        assertEquals("recommender limit seenWindow must be positive, got 0", error.getMessage());
    }

    @ParameterizedTest(name = "micro-batching {0}")
    @ValueSource(booleans = {true, false})
    void everyCallAfterCloseIsRefusedAndCloseTwiceIsHarmless(boolean microBatching) {
        try (RocksSequenceStore store = storeOf(firstItems(SEEN_WINDOW))) {
            Recommender closed = new Recommender(model, store, config(RecommenderConfig.DEFAULT_MAX_K, SEEN_WINDOW,
                    microBatching));
            closed.close();
            List<Executable> calls = List.of(
                    () -> closed.recommend(List.of("i3", "i7"), 5, RecommendationFilters.NONE),
                    () -> closed.recommend(List.of(), 5, RecommendationFilters.NONE),
                    () -> closed.recommendAsync(List.of("i3", "i7"), 5, RecommendationFilters.NONE),
                    () -> closed.recommendForUser(USER, 5, RecommendationFilters.NONE),
                    () -> closed.recommendForUserAsync(USER, 5, RecommendationFilters.NONE),
                    () -> closed.similarItems("i4", 5),
                    () -> closed.history(USER, 1),
                    () -> closed.swapModel(model),
                    // refused before its arguments are looked at
                    () -> closed.recommend(null, 0, null));
            for (Executable call : calls) {
                assertEquals("recommender is closed", assertThrows(IllegalStateException.class, call).getMessage());
            }
            assertSame(model, closed.model()); // still says which model it served
            closed.close();
        }
    }

    @Test
    void aSwappedModelAnswersLaterCallsWithItsVersion() {
        ServingModel other = TestCheckpoints.model(dir.resolve("other"), 2);
        ServingModel previous = recommender.swapModel(other);
        assertEquals(model, previous);
        Recommendation answer = recommender.recommend(List.of("i3"), 3, RecommendationFilters.NONE);
        assertEquals(other.version(), answer.modelVersion());
        assertFalse(model.version().equals(other.version()));
    }

    @Test
    void concurrentMicroBatchedCallsAnswerExactlyLikeUnbatchedOnes() throws Exception {
        List<List<String>> histories = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            histories.add(List.of("i" + (i % 30 + 1), "i" + ((i * 7) % 30 + 1), "i" + ((i * 11) % 30 + 1)));
        }
        List<Recommendation> expected = new ArrayList<>();
        try (Recommender direct = new Recommender(model, null, RecommenderConfig.defaults().withMicroBatching(false))) {
            for (List<String> history : histories) {
                expected.add(direct.recommend(history, 10, RecommendationFilters.NONE));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Recommendation>> answers = new ArrayList<>();
            for (List<String> history : histories) {
                answers.add(pool.submit(() -> recommender.recommend(history, 10, RecommendationFilters.NONE)));
            }
            for (int i = 0; i < histories.size(); i++) {
                assertEquals(expected.get(i), answers.get(i).get());
            }
        } finally {
            pool.shutdown();
        }
    }

    private static List<String> firstItems(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(TestCheckpoints::item).toList();
    }

    private RocksSequenceStore storeOf(List<String> history) {
        RocksSequenceStore store = RocksSequenceStore.open(dir.resolve("store"), StoreConfig.defaults());
        store.append(history.stream().map(item -> Interaction.of(USER, item)).toList());
        return store;
    }

    private Recommender withSeenWindow(RocksSequenceStore store) {
        return new Recommender(model, store, config(RecommenderConfig.DEFAULT_MAX_K, SEEN_WINDOW, true));
    }

    private static RecommenderConfig config(int maxK, int seenWindow, boolean microBatching) {
        RecommenderConfig defaults = RecommenderConfig.defaults();
        return new RecommenderConfig(maxK, defaults.maxIdLength(), defaults.maxHistoryItems(), seenWindow,
                microBatching, defaults.maxBatch(), defaults.scoringThreads());
    }

    private static double cosine(double[] a, double[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int c = 0; c < a.length; c++) {
            dot += a[c] * b[c];
            normA += a[c] * a[c];
            normB += b[c] * b[c];
        }
        return dot / Math.sqrt(normA * normB);
    }
}
