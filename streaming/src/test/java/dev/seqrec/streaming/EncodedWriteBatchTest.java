package dev.seqrec.streaming;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EncodedWriteBatchTest {
    @TempDir
    Path dir;

    @Test
    void encodesExactlyWhatRocksDbsOwnBatchHoldsForTheSameOperations() throws Exception {
        RocksDB.loadLibrary();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
             RocksDB db = RocksDB.open(options, dir.toString(), List.of(
                     new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY),
                     new ColumnFamilyDescriptor("sequences".getBytes(StandardCharsets.UTF_8))), handles)) {
            ColumnFamilyHandle family = handles.get(1);
            byte[] shortKey = "u1".getBytes(StandardCharsets.UTF_8);
            byte[] longKey = new byte[200]; // lengths past 127 take two varint bytes
            Arrays.fill(longKey, (byte) 'k');
            int[] longValue = new int[80];
            Arrays.setAll(longValue, i -> i * 1000);
            ByteBuffer longValueBytes = ByteBuffer.allocate(longValue.length * Integer.BYTES);
            Arrays.stream(longValue).forEach(longValueBytes::putInt);
            byte[] counter = {1, 0, 0, 0, 0, 0, 0, 0};

            EncodedWriteBatch encoded = new EncodedWriteBatch(0);
            encoded.put(family.getID(), shortKey, new byte[] {1, 2, 3});
            encoded.beginPut(family.getID(), longKey, longValueBytes.capacity());
            Arrays.stream(longValue).forEach(encoded::putInt);
            encoded.merge(family.getID(), shortKey, counter);
            try (WriteBatch ours = encoded.toWriteBatch(); WriteBatch theirs = new WriteBatch()) {
                theirs.put(family, shortKey, new byte[] {1, 2, 3});
                theirs.put(family, longKey, longValueBytes.array());
                theirs.merge(family, shortKey, counter);
                assertEquals(3, encoded.count());
                assertArrayEquals(theirs.data(), ours.data());
            }
            handles.forEach(ColumnFamilyHandle::close);
        }
    }
}
