package dev.seqrec.streaming;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class Utf8KeyTableTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Utf8KeyTable.Entry entry(Utf8KeyTable<Utf8KeyTable.Entry> table, String key) {
        Utf8KeyTable.Entry entry = new Utf8KeyTable.Entry(utf8(key));
        table.add(entry);
        return entry;
    }

    @Test
    void lookingUpManyKeysAtOnceGivesWhatOneByOneGivesAlsoForKeysWhoseHashesCollide() {
        Utf8KeyTable<Utf8KeyTable.Entry> table = new Utf8KeyTable<>();
        Utf8KeyTable.Entry aa = entry(table, "Aa"); // "Aa" and "BB" have the same hash
        Utf8KeyTable.Entry bb = entry(table, "BB");
        Utf8KeyTable.Entry u1 = entry(table, "u1");
        byte[][] keys = {utf8("BB"), utf8("Aa"), utf8("u2"), utf8("u1")};
        int[] hashes = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            hashes[i] = Utf8KeyTable.hash(keys[i], 0, keys[i].length);
        }
        assertEquals(hashes[0], hashes[1]);
        Utf8KeyTable.Entry[] found = new Utf8KeyTable.Entry[keys.length];
        table.getAll(keys, hashes, keys.length, found);
        assertArrayEquals(new Utf8KeyTable.Entry[] {bb, aa, null, u1}, found);
        for (int i = 0; i < keys.length; i++) {
            assertEquals(found[i], table.get(keys[i], 0, keys[i].length, hashes[i]));
        }
    }
}
