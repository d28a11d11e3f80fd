package dev.seqrec.streaming;

import org.rocksdb.WriteBatch;

import java.util.Arrays;

/**
 * A RocksDB write batch built in Java, in RocksDB's own serialized format (db/write_batch.cc: a header of sequence
 * number and count, then one record per operation), and handed to RocksDB in one call: a batch of many small puts
 * then costs one JNI crossing and one copy instead of a crossing and two copies per put. Values can be written in
 * place, without an array of their own. Only puts and merges into column families other than the default one,
 * named by {@link org.rocksdb.ColumnFamilyHandle#getID()}.
 */
final class EncodedWriteBatch {
    /** Sequence number (fixed64, set by RocksDB when it writes the batch) and record count (fixed32). */
    private static final int HEADER_BYTES = Long.BYTES + Integer.BYTES;
    private static final int COUNT_AT = Long.BYTES;
    /** RocksDB's ValueType tags (db/dbformat.h) of a put and a merge into a column family named by id. */
    private static final byte COLUMN_FAMILY_VALUE = 0x5;
    private static final byte COLUMN_FAMILY_MERGE = 0x6;
    private static final int MAX_VARINT32_BYTES = 5;
    private static final int VARINT_PAYLOAD_BITS = 7;
    private static final int VARINT_MORE = 0x80;
    private static final int VARINT_PAYLOAD = 0x7F;

    private byte[] bytes;
    private int size = HEADER_BYTES;
    private int count;

    EncodedWriteBatch(int expectedBytes) {
        bytes = new byte[Math.max(HEADER_BYTES, expectedBytes)];
    }

    void put(int familyId, byte[] key, byte[] value) {
        record(COLUMN_FAMILY_VALUE, familyId, key, value.length);
        append(value);
    }

    void merge(int familyId, byte[] key, byte[] value) {
        record(COLUMN_FAMILY_MERGE, familyId, key, value.length);
        append(value);
    }

    /** Starts a put whose value, {@code valueBytes} long, the caller then writes with {@link #putInt}. */
    void beginPut(int familyId, byte[] key, int valueBytes) {
        record(COLUMN_FAMILY_VALUE, familyId, key, valueBytes);
        ensureRoom(valueBytes);
    }

    /** Appends a big-endian int to the value begun with {@link #beginPut}. */
    void putInt(int value) {
        byte[] b = bytes;
        b[size] = (byte) (value >>> 24);
        b[size + 1] = (byte) (value >>> 16);
        b[size + 2] = (byte) (value >>> 8);
        b[size + 3] = (byte) value;
        size += Integer.BYTES;
    }

    int count() {
        return count;
    }

    /** The batch for {@link org.rocksdb.RocksDB#write}; the caller closes it. */
    WriteBatch toWriteBatch() {
        byte[] b = bytes;
        for (int i = 0; i < Integer.BYTES; i++) {
            b[COUNT_AT + i] = (byte) (count >>> (Byte.SIZE * i)); // fixed32 is little-endian
        }
        return new WriteBatch(size == b.length ? b : Arrays.copyOf(b, size));
    }

    private void record(byte tag, int familyId, byte[] key, int valueBytes) {
        ensureRoom(1 + 3 * MAX_VARINT32_BYTES + key.length);
        bytes[size++] = tag;
        varint32(familyId);
        varint32(key.length);
        System.arraycopy(key, 0, bytes, size, key.length);
        size += key.length;
        varint32(valueBytes);
        count++;
    }

    private void append(byte[] value) {
        ensureRoom(value.length);
        System.arraycopy(value, 0, bytes, size, value.length);
        size += value.length;
    }

    private void varint32(int value) {
        int v = value;
        while ((v & ~VARINT_PAYLOAD) != 0) {
            bytes[size++] = (byte) ((v & VARINT_PAYLOAD) | VARINT_MORE);
            v >>>= VARINT_PAYLOAD_BITS;
        }
        bytes[size++] = (byte) v;
    }

    private void ensureRoom(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, size + more));
        }
    }
}
