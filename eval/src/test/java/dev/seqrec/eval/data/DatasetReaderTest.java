package dev.seqrec.eval.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetReaderTest {
    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    @Test
    void sequenceTextMapsIdsInOrderOfFirstAppearance() throws IOException {
        SequenceDataset data = DatasetReader.read(file("tiny.txt", "u7 b a\nu3 a c b\n"));
        assertEquals("tiny", data.name());
        assertEquals(2, data.numUsers());
        assertEquals(3, data.numItems());
        assertEquals(List.of("u7", "u3"), List.of(data.users().externalId(1), data.users().externalId(2)));
        assertEquals(List.of("b", "a", "c"), List.of(data.items().externalId(1), data.items().externalId(2), data.items().externalId(3)));
        assertArrayEquals(new int[][] {{1, 2}, {2, 3, 1}}, data.sequences());
        assertEquals(5, data.numInteractions());
    }

    @Test
    void atomicInterOrdersEachUserByTimestampKeepingFileOrderForTies() throws IOException {
        SequenceDataset data = DatasetReader.read(file("t.inter", """
                item_id:token\trating:float\ttimestamp:float\tuser_id:token
                x\t5\t30\tu1
                y\t4\t10\tu1
                z\t3\t20\tu2
                w\t1\t10\tu1
                """));
        // u1: y (10), w (10, later row), x (30); ids by first appearance: x=1, y=2, z=3, w=4
        assertArrayEquals(new int[][] {{2, 4, 1}, {3}}, data.sequences());
    }

    @Test
    void aNegativeZeroTimestampTiesWithZeroInFileOrder() throws IOException {
        SequenceDataset data = DatasetReader.read(file("zero.inter", """
                user_id:token\titem_id:token\ttimestamp:float
                u1\ta\t0
                u1\tb\t-0
                """));
        assertArrayEquals(new int[][] {{1, 2}}, data.sequences());
    }

    @Test
    void atomicInterWithoutTimestampKeepsFileOrderOfInterleavedUsers() throws IOException {
        SequenceDataset data = DatasetReader.read(file("t.inter",
                "user_id:token\titem_id:token\nA\t1\nB\t2\nA\t3\nB\t1\n"));
        assertArrayEquals(new int[][] {{1, 3}, {2, 1}}, data.sequences());
    }

    @Test
    void csvWithAndWithoutHeaderGiveTheSameSequences() throws IOException {
        SequenceDataset headed = DatasetReader.read(file("h.csv", "user,item,timestamp\nu1,i1,5\nu1,i2,1\nu2,i1,3\n"));
        SequenceDataset bare = DatasetReader.read(file("b.csv", "u1,i1,5\nu1,i2,1\nu2,i1,3\n"));
        assertArrayEquals(new int[][] {{2, 1}, {1}}, headed.sequences());
        assertArrayEquals(headed.sequences(), bare.sequences());
    }

    @Test
    void csvHeaderColumnsAreFoundByName() throws IOException {
        SequenceDataset data = DatasetReader.read(file("h.csv", "timestamp,item,user\n2,a,u\n1,b,u\n"));
        assertEquals("b", data.items().externalId(data.sequences()[0][0]));
    }

    @Test
    void windowsLineEndingsAreAccepted() throws IOException {
        SequenceDataset txt = DatasetReader.read(file("crlf.txt", "u a b\r\nv b\r\n"));
        SequenceDataset inter = DatasetReader.read(file("crlf.inter", "user_id:token\titem_id:token\r\nu\ta\r\nu\tb\r\nv\tb\r\n"));
        assertArrayEquals(new int[][] {{1, 2}, {2}}, txt.sequences());
        assertArrayEquals(txt.sequences(), inter.sequences());
        assertEquals("b", inter.items().externalId(2));
    }

    @Test
    void blankLinesAreSkippedInEveryFormat() throws IOException {
        SequenceDataset txt = DatasetReader.read(file("blank.txt", "u a b\n\n  \nv b\n\n"));
        SequenceDataset inter = DatasetReader.read(file("blank.inter", "user_id:token\titem_id:token\nu\ta\n\nu\tb\nv\tb\n\n"));
        SequenceDataset csv = DatasetReader.read(file("blank.csv", "u,a\n\nu,b\nv,b\n\n"));
        assertArrayEquals(new int[][] {{1, 2}, {2}}, txt.sequences());
        assertArrayEquals(txt.sequences(), inter.sequences());
        assertArrayEquals(txt.sequences(), csv.sequences());
    }

    @Test
    void blankLinesBeforeTheHeaderOrFirstRowAreSkippedToo() throws IOException {
        SequenceDataset txt = DatasetReader.read(file("lead.txt", "\n\nu a b\nv b\n"));
        SequenceDataset inter = DatasetReader.read(file("lead.inter", "\n \nuser_id:token\titem_id:token\nu\ta\nu\tb\nv\tb\n"));
        SequenceDataset headed = DatasetReader.read(file("lead.csv", "\n\nuser,item\nu,a\nu,b\nv,b\n"));
        SequenceDataset bare = DatasetReader.read(file("bare.csv", "\nu,a\nu,b\nv,b\n"));
        assertArrayEquals(txt.sequences(), inter.sequences());
        assertArrayEquals(txt.sequences(), headed.sequences());
        assertArrayEquals(txt.sequences(), bare.sequences());
        assertEquals(List.of("u", "v"), List.of(headed.users().externalId(1), headed.users().externalId(2)));
    }

    @Test
    void aBadHeaderAfterBlankLinesIsNamedByItsNumberInTheFile() throws IOException {
        Path file = file("lead.inter", "\n\nuser_id\titem_id:token\n");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetReader.read(file));
        assertEquals(file + ":3: header field 'user_id' is not 'name:type'", e.getMessage());
    }

    @Test
    void aBadLineAfterABlankOneIsNamedByItsNumberInTheFile() throws IOException {
        Path file = file("late.txt", "u a b\n\nv\n");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetReader.read(file));
        assertEquals(3, e.line());
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstId() throws IOException {
        SequenceDataset bare = DatasetReader.read(file("bom.csv", "\uFEFFu1,i1,1\nu1,i2,2\n"));
        assertEquals(1, bare.numUsers());
        assertEquals("u1", bare.users().externalId(1));
        SequenceDataset headed = DatasetReader.read(file("bom-h.csv", "\uFEFFuser,item,timestamp\nu1,i1,1\n"));
        assertEquals("i1", headed.items().externalId(1));
    }

    @Test
    void csvFieldsMayBeQuoted() throws IOException {
        SequenceDataset data = DatasetReader.read(file("q.csv", "\"Smith,Ann\",\"item\"\"1\"\"\"\n"));
        assertEquals("Smith,Ann", data.users().externalId(1));
        assertEquals("item\"1\"", data.items().externalId(1));
    }

    @Test
    void anUnterminatedCsvQuoteIsRejectedNamingTheLine() throws IOException {
        Path file = file("q.csv", "u,a\n\"u,b\n");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetReader.read(file));
        assertEquals(file + ":2: unterminated quoted field", e.getMessage());
    }

    @Test
    void formatCanBeNamedWhenTheExtensionSaysNothing() throws IOException {
        Path file = file("events.log", "u,i1\nu,i2\n");
        assertThrows(IllegalArgumentException.class, () -> DatasetReader.read(file));
        SequenceDataset data = DatasetReader.read(file, ReadOptions.DEFAULTS.withFormat(DatasetFormat.CSV));
        assertArrayEquals(new int[][] {{1, 2}}, data.sequences());
    }

    @Test
    void aSequenceLineWithoutItemsIsRejectedNamingTheLine() throws IOException {
        Path file = file("bad.txt", "1 1 2\n2\n3 4\n");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetReader.read(file));
        assertEquals(2, e.line());
        assertEquals(file + ":2: user '2' has no items; expected 'user item item ...'", e.getMessage());
    }

    @Test
    void aUserOnTwoSequenceLinesIsRejected() throws IOException {
        Path file = file("dup.txt", "1 1 2\n2 3\n1 4\n");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetReader.read(file));
        assertEquals(3, e.line());
    }

    @Test
    void anInterRowWithTheWrongFieldCountIsRejectedNamingTheLine() throws IOException {
        Path file = file("bad.inter", "user_id:token\titem_id:token\n1\t1\n1 2\n");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetReader.read(file));
        assertEquals(file + ":3: expected 2 tab-separated fields, found 1", e.getMessage());
    }

    @Test
    void anInterHeaderWithoutItemColumnIsRejected() throws IOException {
        Path file = file("bad.inter", "user_id:token\trating:float\n1\t1\n");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetReader.read(file));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("lacks item_id"), e.getMessage());
    }

    @Test
    void aCsvRowWithABadTimestampIsRejectedNamingTheLine() throws IOException {
        Path file = file("bad.csv", "user,item,timestamp\nu,a,1\nu,b,2\nu,c,yesterday\n");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetReader.read(file));
        assertEquals(file + ":4: timestamp 'yesterday' is not a finite number", e.getMessage());
    }

    @Test
    void timestampsMustBePlainDecimalNumbers() throws IOException {
        for (String bad : List.of("5f", "1d", "0x1p1", "NaN", "Infinity", "1e999", "1_000", "1,5")) {
            Path file = file("bad.inter", "user_id:token\titem_id:token\ttimestamp:float\nu\ta\t1\nu\tb\t" + bad + "\n");
            DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetReader.read(file), bad);
            assertEquals(file + ":3: timestamp '" + bad + "' is not a finite number", e.getMessage());
        }
    }

    @Test
    void timestampsMayHaveASignAPointAndAnExponent() throws IOException {
        SequenceDataset data = DatasetReader.read(file("t.csv",
                "user,item,timestamp\nu,a,1.7e9\nu,b,-3\nu,c,.5\nu,d,7.\nu,e,+2E-1\nu,f,1700000000\n"));
        // order by time: b (-3), e (0.2), c (0.5), d (7), f (1.7e9), a (1.7e9, earlier row)
        assertArrayEquals(new int[][] {{2, 5, 3, 4, 1, 6}}, data.sequences());
    }

    @Test
    void aDuplicateInterColumnIsRejected() throws IOException {
        Path file = file("dup.inter", "user_id:token\titem_id:token\tuser_id:token\n1\ta\t9\n2\tb\t9\n");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetReader.read(file));
        assertEquals(file + ":1: duplicate column 'user_id'", e.getMessage());
    }

    @Test
    void aDuplicateCsvColumnIsRejectedEvenUnderAnotherName() throws IOException {
        Path same = file("dup.csv", "user,item,item\n1,a,z\n1,b,z\n");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetReader.read(same));
        assertEquals(same + ":1: duplicate column 'item' (column 3 names what column 2, 'item', names)", e.getMessage());
        Path alias = file("alias.csv", "user,user_id,item\n1,2,a\n");
        assertThrows(DatasetFormatException.class, () -> DatasetReader.read(alias));
    }

    @Test
    void anInterIdColumnMustHaveTypeToken() throws IOException {
        Path file = file("seq.inter", "user_id:token\titem_id:token_seq\n1\ta b\n1\tb c\n1\tc d\n");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetReader.read(file));
        assertEquals(file + ":1: item_id has type token_seq; expected token (one id per row)", e.getMessage());
    }

    @Test
    void anIdWithWhitespaceOrAControlCharacterInsideIsRejectedNamingTheLine() throws IOException {
        Path csv = file("space.csv", "user,item\nu,a\nu,\"a b\"\n");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetReader.read(csv));
        assertEquals(csv + ":3: item 'a b' contains whitespace, control or invisible characters; an id must be a single "
                + "token", e.getMessage());
        Path inter = file("space.inter", "user_id:token\titem_id:token\nu 1\ta\n");
        e = assertThrows(DatasetFormatException.class, () -> DatasetReader.read(inter));
        assertEquals(inter + ":2: user_id 'u 1' contains whitespace, control or invisible characters; an id must be a "
                + "single token", e.getMessage());
        Path txt = file("control.txt", "u a b\u0001c\n");
        e = assertThrows(DatasetFormatException.class, () -> DatasetReader.read(txt));
        assertEquals(txt + ":1: item 'b\\u0001c' contains whitespace, control or invisible characters; an id must be a "
                + "single token", e.getMessage());
    }

    /** Java's isWhitespace misses them: "5\u00A06" was one item, ",\u00A05" a second item "5" beside "5". */
    @Test
    void anIdWithANoBreakSpaceOrAnInvisibleFormatCharacterIsRejectedShowingIt() throws IOException {
        Path txt = file("nbsp.txt", "u1 5\u00A06 7 8\n");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetReader.read(txt));
        assertEquals(txt + ":1: item '5\\u00A06' contains whitespace, control or invisible characters; an id must be a "
                + "single token", e.getMessage());
        Path csv = file("nbsp.csv", "user,item\nu1,5\nu1,\u00A05\n");
        assertThrows(DatasetFormatException.class, () -> DatasetReader.read(csv));
        Path zeroWidth = file("zwsp.txt", "u1 5 \u200B5 6\n");
        e = assertThrows(DatasetFormatException.class, () -> DatasetReader.read(zeroWidth));
        assertEquals(zeroWidth + ":1: item '\\u200B5' contains whitespace, control or invisible characters; an id must "
                + "be a single token", e.getMessage());
    }

    @Test
    void idsWithTheJoinersOfEmojiAndPersianWordsAreRead() throws IOException {
        SequenceDataset data = DatasetReader.read(file("joiners.txt", "u1 a\u200Db \u0645\u200C\u062E c\n"));
        assertEquals("a\u200Db", data.items().externalId(1));
        assertEquals("\u0645\u200C\u062E", data.items().externalId(2));
    }

    @Test
    void forEachInteractionHandsOutIdsAsWrittenForItsCallerToCheck() throws IOException {
        List<String> items = new ArrayList<>();
        DatasetReader.forEachInteraction(file("space.csv", "user,item\nu,\"a b\"\n"),
                (user, item, timestamp) -> items.add(item));
        assertEquals(List.of("a b"), items);
    }

    @Test
    void aCsvRowWithAnEmptyItemIsRejected() throws IOException {
        Path file = file("bad.csv", "u,a\nu,\n");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetReader.read(file));
        assertEquals(file + ":2: empty item", e.getMessage());
    }

    @Test
    void anEmptyFileIsRejected() throws IOException {
        Path file = file("empty.txt", "");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetReader.read(file));
        assertTrue(e.getMessage().contains("no interactions"), e.getMessage());
    }

    @Test
    void aMissingFileIsNamedInTheError() {
        Path missing = dir.resolve("nope.txt");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> DatasetReader.read(missing));
        assertEquals(missing + ": no such file", e.getMessage());
    }

    @Test
    void forEachInteractionHandsOutEachUsersInteractionsInTimeOrderWithTheirIds() throws IOException {
        Path file = file("t.csv", "user,item,timestamp\nbob,x,20\nann,y,5\nbob,z,10\n");
        List<String> seen = new ArrayList<>();
        DatasetReader.forEachInteraction(file, (user, item, timestamp) ->
                seen.add(user + " " + item + " " + timestamp.getAsDouble()));
        assertEquals(List.of("bob z 10.0", "bob x 20.0", "ann y 5.0"), seen);
    }

    @Test
    void forEachInteractionGivesNoTimestampForFilesWithout() throws IOException {
        List<Boolean> present = new ArrayList<>();
        DatasetReader.forEachInteraction(file("t.txt", "u a b\n"), (user, item, timestamp) -> present.add(timestamp.isPresent()));
        assertEquals(List.of(false, false), present);
    }

    @Test
    void forEachInteractionHandsOutNothingWhenALaterRowIsBad() throws IOException {
        Path file = file("bad.txt", "u1 a b\nu2 c\nu3\n");
        List<String> seen = new ArrayList<>();
        assertThrows(DatasetFormatException.class,
                () -> DatasetReader.forEachInteraction(file, (user, item, timestamp) -> seen.add(item)));
        assertEquals(List.of(), seen);
    }

    @Test
    void kCoreIsOffByDefault() throws IOException {
        SequenceDataset data = DatasetReader.read(file("k.txt", "u1 a\nu2 a b\n"));
        assertEquals(2, data.numUsers());
    }

    @Test
    void kCoreRemovesUsersAndItemsRepeatedlyAndRenumbersByFirstAppearance() throws IOException {
        // 2-core: item c (once) goes, which leaves u3 with one item, so u3 goes, which leaves d with one, so d goes.
        Path file = file("k.txt", "u1 a b\nu2 a b\nu3 d c\nu4 e d\nu5 e a\n");
        SequenceDataset data = DatasetReader.read(file, ReadOptions.DEFAULTS.withKCore(2, 2));
        // u4 keeps only e, so it goes too; then e has only u5, so e goes, and u5 keeps only a, so u5 goes.
        assertEquals(List.of("u1", "u2"), List.of(data.users().externalId(1), data.users().externalId(2)));
        assertEquals(2, data.numItems());
        assertArrayEquals(new int[][] {{1, 2}, {1, 2}}, data.sequences());
    }
}
