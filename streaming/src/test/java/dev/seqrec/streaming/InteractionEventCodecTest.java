package dev.seqrec.streaming;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InteractionEventCodecTest {
    private static final long BROKER_TIME = 1_000L;
    private final InteractionEventCodec codec = new InteractionEventCodec(8);

    private Interaction decode(String key, String json) throws MalformedEventException {
        return codec.decode(key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8), BROKER_TIME);
    }

    private String reason(String key, String json) {
        return assertThrows(MalformedEventException.class, () -> decode(key, json)).getMessage();
    }

    @Test
    void decodesEveryField() throws Exception {
        assertEquals(new Interaction("u-1", "sku-9", 1732440000000L, "view"),
                decode("u-1", "{\"user\":\"u-1\",\"item\":\"sku-9\",\"ts\":1732440000000,\"type\":\"view\"}"));
    }

    @Test
    void missingTimestampIsTheBrokersTime() throws Exception {
        assertEquals(new Interaction("u", "i", BROKER_TIME, null), decode("u", "{\"item\":\"i\",\"user\":\"u\"}"));
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        assertEquals("i", decode("u", "{\"user\":\"u\",\"item\":\"i\",\"extra\":{\"a\":[1,2]}}").item());
    }

    @Test
    void encodedEventsDecodeToThemselves() throws Exception {
        Interaction event = new Interaction("u\"1", "ié", 5L, "buy");
        assertEquals(event, codec.decode(event.user().getBytes(StandardCharsets.UTF_8), InteractionEventCodec.encode(event), BROKER_TIME));
    }

    @Test
    void rejectsWhatIsNotAJsonObject() {
        assertEquals("value is not a JSON object", reason(null, "[1]"));
        assertEquals("empty value", reason(null, ""));
        assertEquals("trailing content after the JSON object", reason(null, "{\"user\":\"u\",\"item\":\"i\"} {}"));
    }

    @Test
    void rejectsMissingOrMistypedFields() {
        assertEquals("missing \"user\"", reason(null, "{\"item\":\"i\"}"));
        assertEquals("\"user\" must be a string", reason(null, "{\"user\":7,\"item\":\"i\"}"));
        assertEquals("\"ts\" must be a non-negative integer (epoch milliseconds)",
                reason(null, "{\"user\":\"u\",\"item\":\"i\",\"ts\":\"yesterday\"}"));
        assertEquals("\"type\" must be a string", reason(null, "{\"user\":\"u\",\"item\":\"i\",\"type\":1}"));
    }

    @Test
    void rejectsOversizedEmptyAndSpacedIds() {
        assertEquals("\"item\" is longer than 8 bytes", reason(null, "{\"user\":\"u\",\"item\":\"123456789\"}"));
        assertEquals("\"item\" is longer than 8 bytes", reason(null, "{\"user\":\"u\",\"item\":\"ééééé\"}"));
        assertEquals("\"user\" is empty", reason(null, "{\"user\":\"\",\"item\":\"i\"}"));
        for (String item : List.of("a b", "a\u00A0b", "\u200Bb", "b\u2060")) {
            assertEquals("\"item\" contains whitespace, control or invisible characters",
                    reason(null, "{\"user\":\"u\",\"item\":\"" + item + "\"}"), item);
        }
    }

    /** The zero-width joiner and non-joiner are not separators: emoji such as a woman technologist and Persian use them. */
    @Test
    void acceptsIdsWithJoiners() throws Exception {
        for (String item : List.of("a\u200db", "\u0645\u200c\u062e")) { // short: this codec takes 8 bytes at most
            assertEquals(item, decode("u", "{\"user\":\"u\",\"item\":\"" + item + "\"}").item());
        }
    }

    @Test
    void rejectsAValueJacksonTakesForUtf32AsNotJson() {
        // Three zero bytes first make Jackson read UTF-32, which fails with an I/O error rather than a parse error.
        String reason = reason(null, "\u0000\u0000\u0000{}");
        assertTrue(reason.startsWith("not valid JSON: ") && reason.contains("UTF-32"), reason);
    }

    @Test
    void rejectsIdsWithUnpairedSurrogates() {
        assertEquals("\"item\" is not valid Unicode (unpaired surrogate)", reason("u", "{\"user\":\"u\",\"item\":\"a\\ud800\"}"));
        assertEquals("\"item\" is not valid Unicode (unpaired surrogate)", reason("u", "{\"user\":\"u\",\"item\":\"\\udc00a\"}"));
        assertEquals("\"user\" is not valid Unicode (unpaired surrogate)",
                reason(null, "{\"user\":\"\\udc00\\ud800\",\"item\":\"i\"}"));
    }

    @Test
    void rejectsIdsWithAByteOrderMark() {
        assertEquals("\"user\" contains a byte-order mark (U+FEFF)",
                reason(null, "{\"user\":\"\\ufeffu\",\"item\":\"i\"}"));
    }

    @Test
    void acceptsIdsWithSurrogatePairs() throws Exception {
        assertEquals("a\ud83d\ude00", decode("u", "{\"user\":\"u\",\"item\":\"a\\ud83d\\ude00\"}").item());
    }

    @Test
    void rejectsAKeyThatIsNotTheUser() {
        assertEquals("record key does not match \"user\"", reason("other", "{\"user\":\"u\",\"item\":\"i\"}"));
        assertEquals("record has no key; events must be keyed by their user id", reason(null, "{\"user\":\"u\",\"item\":\"i\"}"));
    }

    @Test
    void ingestPathDecodingAcceptsAndRejectsExactlyWhatTheFullParserDoes() {
        List<String> values = List.of(
                "{\"user\":\"u\",\"item\":\"i\",\"ts\":17,\"type\":\"view\"}",
                " {\n\"type\" : \"a b\" ,\t\"ts\":0, \"item\" : \"i-1\",\"user\":\"u\" }\r\n",
                "{\"user\":\"u\",\"item\":\"12345678\"}",
                "{\"user\":\"u\",\"item\":\"123456789\"}",
                "{\"user\":\"u\",\"item\":\"\"}",
                "{\"user\":\"u\",\"item\":\"a b\"}",
                "{\"user\":\"u\",\"item\":\"a\u007fb\"}",
                "{\"user\":\"u\",\"item\":\"\\u0069\"}",
                "{\"user\":\"u\",\"item\":\"\u00e9\"}",
                "{\"user\":\"u\",\"item\":\"a\\ud800\"}",
                "\u0000\u0000\u0000{}",
                "{\"user\":\"u\",\"item\":\"i\",\"extra\":[1]}",
                "{\"user\":\"u\",\"item\":\"i\",\"item\":\"j\"}",
                "{\"user\":\"u\",\"item\":\"i\",\"ts\":01}",
                "{\"user\":\"u\",\"item\":\"i\",\"ts\":-1}",
                "{\"user\":\"u\",\"item\":\"i\",\"ts\":1.5}",
                "{\"user\":\"u\",\"item\":\"i\",\"ts\":12345678901234567890}",
                "{\"user\":\"u\",\"item\":\"i\",\"ts\":null,\"type\":null}",
                "{\"user\":\"u\",\"item\":\"i\",}",
                "{\"user\":\"u\",\"item\":\"i\"} x",
                "{\"user\":\"u\",\"item\":\"i\"",
                "{\"user\":\"v\",\"item\":\"i\"}",
                "{\"user\":\"u\"}",
                "{}",
                "");
        assertIngestPathAgreesWithTheFullParser(values);
    }

    @Test
    void ingestPathDecodingOfTheCanonicalShapeAndItsNearMissesAgreesWithTheFullParser() {
        // The shape encode() writes, taken eight bytes at a time, and values that differ from it in one place
        List<String> values = List.of(
                "{\"user\":\"u\",\"item\":\"i\"}",
                "{\"user\":\"u\",\"item\":\"i\",\"ts\":0}",
                "{\"user\":\"u\",\"item\":\"i\",\"ts\":123456789012345678}",
                "{\"user\":\"u\",\"item\":\"i\",\"ts\":1234567890123456789}",
                "{\"user\":\"u\",\"item\":\"i\",\"ts\":07}",
                "{\"user\":\"u\",\"item\":\"i\",\"ts\":}",
                "{\"user\":\"u\",\"item\":\"i\",\"ts\":7",
                "{\"user\":\"u\",\"item\":\"i\",\"ts\":7,\"type\":\"a b\"}",
                "{\"user\":\"u\",\"item\":\"i\",\"type\":\"\"}",
                "{\"user\":\"u\",\"item\":\"i\",\"type\":\"v\",\"ts\":7}",
                "{\"user\":\"u\",\"item\":\"i\",\"type\":\"a\\\"b\"}",
                "{\"user\":\"u\",\"item\":\"i\",\"type\":\"v\"",
                "{\"user\":\"u\",\"item\":\"i\",\"ts\":7,\"ts\":8}",
                "{\"user\":\"u\",\"item\":\"i\"} ",
                "{\"user\":\"u\",\"item\":\"i\"}}",
                "{\"user\":\"u\", \"item\":\"i\"}",
                "{\"user\":\"uu\",\"item\":\"i\"}",
                "{\"user\":\"\",\"item\":\"i\"}",
                "{\"user\":\"u\",\"item\":\"i\\u0020\"}",
                "{\"user\":\"u\",\"item\":\"12345678\",\"ts\":1}",
                "{\"user\":\"u\",\"item\":\"123456789\",\"ts\":1}",
                "{\"user\":\"u\",\"item\":\"\",\"ts\":1}",
                "{\"user\":\"u\",\"item\":\"i\",\"extra\":1}",
                "{\"user\":\"u\",\"item\":\"i");
        assertIngestPathAgreesWithTheFullParser(values);
    }

    @Test
    void theCanonicalShapeIsScannedWithoutTheGeneralScan() throws Exception {
        byte[] user = "u-1".getBytes(StandardCharsets.UTF_8);
        for (Interaction event : List.of(new Interaction("u-1", "i-7", 17, "view"), new Interaction("u-1", "i-7", 17, null),
                new Interaction("u-1", "i-7", 0, "view"), new Interaction("u-1", "i-7", 0, null))) {
            Utf8EventBatch batch = new Utf8EventBatch();
            assertTrue(codec.scanCanonicalShape(user, InteractionEventCodec.encode(event), batch), event.toString());
            assertEquals("i-7", batch.item(0));
        }
        byte[] spaced = "{\"user\": \"u-1\",\"item\":\"i-7\"}".getBytes(StandardCharsets.UTF_8);
        assertFalse(codec.scanCanonicalShape(user, spaced, new Utf8EventBatch()));
    }

    @Test
    void ingestPathDecodingGivesTheTableHashesOfUserAndItem() throws Exception {
        Utf8EventBatch batch = new Utf8EventBatch();
        byte[] user = "u-1".getBytes(StandardCharsets.UTF_8);
        byte[] value = "{\"user\":\"u-1\",\"type\":\"a b\",\"item\":\"i-7\"}".getBytes(StandardCharsets.UTF_8);
        codec.decodeInto(user, value, BROKER_TIME, batch);
        assertEquals(Utf8KeyTable.hash(user, 0, user.length), batch.userHashes[0]);
        byte[] item = "i-7".getBytes(StandardCharsets.UTF_8);
        assertEquals(Utf8KeyTable.hash(item, 0, item.length), batch.itemHashes[0]);
    }

    private void assertIngestPathAgreesWithTheFullParser(List<String> values) {
        for (String value : values) {
            assertEquals(fullParserOutcome(value), ingestPathOutcome(value), value);
        }
    }

    private String fullParserOutcome(String value) {
        try {
            return "item " + decode("u", value).item();
        } catch (MalformedEventException e) {
            return "rejected: " + e.getMessage();
        }
    }

    private String ingestPathOutcome(String value) {
        Utf8EventBatch batch = new Utf8EventBatch();
        try {
            codec.decodeInto("u".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8), BROKER_TIME, batch);
            assertEquals(1, batch.size, "one event added");
            return "item " + batch.item(0);
        } catch (MalformedEventException e) {
            assertEquals(0, batch.size, "nothing added");
            return "rejected: " + e.getMessage();
        }
    }
}
