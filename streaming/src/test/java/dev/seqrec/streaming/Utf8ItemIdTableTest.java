package dev.seqrec.streaming;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class Utf8ItemIdTableTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int get(Utf8ItemIdTable table, byte[] bytes, int from, int to) {
        return table.get(bytes, from, to, Utf8KeyTable.hash(bytes, from, to));
    }

    private static void add(Utf8ItemIdTable table, String key, int id) {
        byte[] bytes = utf8(key);
        table.add(bytes, 0, bytes.length, Utf8KeyTable.hash(bytes, 0, bytes.length), id);
    }

    @Test
    void findsAKeyBySliceOfAnyArray() {
        Utf8ItemIdTable table = new Utf8ItemIdTable();
        add(table, "i7", 3);
        byte[] record = utf8("{\"item\":\"i7\"}");
        assertEquals(3, get(table, record, 9, 11));
    }

    @Test
    void tellsAbsentKeysApartFromPrefixesAndExtensions() {
        Utf8ItemIdTable table = new Utf8ItemIdTable();
        add(table, "i7", 3);
        assertEquals(Utf8ItemIdTable.ABSENT, get(table, utf8("i"), 0, 1));
        assertEquals(Utf8ItemIdTable.ABSENT, get(table, utf8("i70"), 0, 3));
        assertEquals(Utf8ItemIdTable.ABSENT, get(table, utf8("i8"), 0, 2));
    }

    @Test
    void lookingUpManyKeysAtOnceGivesWhatOneByOneGivesAlsoForKeysWhoseHashesCollide() {
        Utf8ItemIdTable table = new Utf8ItemIdTable();
        add(table, "Aa", 1); // "Aa" and "BB" have the same hash
        add(table, "BB", 2);
        add(table, "i7", 3);
        byte[][] sources = {utf8("BB"), utf8("x:Aa"), utf8("i8"), utf8("i7")};
        int[] from = {0, 2, 0, 0};
        int[] to = {2, 4, 2, 2};
        int[] hashes = new int[sources.length];
        for (int i = 0; i < sources.length; i++) {
            hashes[i] = Utf8KeyTable.hash(sources[i], from[i], to[i]);
        }
        assertEquals(hashes[0], hashes[1]);
        int[] ids = new int[sources.length];
        table.getAll(sources, from, to, hashes, sources.length, ids);
        assertArrayEquals(new int[] {2, 1, Utf8ItemIdTable.ABSENT, 3}, ids);
    }

    @Test
    void keepsEveryKeyWhileGrowing() {
        Utf8ItemIdTable table = new Utf8ItemIdTable();
        int keys = 20_000; // past several doublings of the slots and the arena
        for (int i = 0; i < keys; i++) {
            add(table, "item-" + i, i);
        }
        assertEquals(keys, table.size());
        for (int i = 0; i < keys; i++) {
            byte[] key = utf8("item-" + i);
            assertEquals(i, get(table, key, 0, key.length));
        }
    }

    @Test
    void aReaderWhileKeysAreAddedFindsEveryKeyAddedBeforeItLooks() throws Exception {
        Utf8ItemIdTable table = new Utf8ItemIdTable();
        int keys = 50_000; // past several doublings, so the reader meets replaced arrays
        java.util.concurrent.atomic.AtomicInteger added = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> wrong = new java.util.concurrent.atomic.AtomicReference<>();
        Thread reader = new Thread(() -> {
            for (int done = 0; done < keys && wrong.get() == null; done = added.get()) {
                int i = java.util.concurrent.ThreadLocalRandom.current().nextInt(Math.max(1, done));
                byte[] key = utf8("item-" + i);
                int id = get(table, key, 0, key.length);
                if (done > 0 && id != i) {
                    wrong.set("item-" + i + " gave " + id + " after " + done + " adds");
                }
            }
        });
        reader.start();
        for (int i = 0; i < keys; i++) {
            add(table, "item-" + i, i);
            added.set(i + 1);
        }
        reader.join();
        assertEquals(null, wrong.get());
    }
}
