package dev.seqrec.streaming;

import dev.seqrec.report.AtomicFile;
import dev.seqrec.eval.data.IdMapping;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.HashLinkedListMemTableConfig;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.UInt64AddOperator;
import org.rocksdb.VectorMemTableConfig;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * {@link SequenceStore} over RocksDB. Column families:
 * <ul>
 *   <li>{@code sequences}: user id (UTF-8) -> [user dense id, item dense ids oldest first...] as big-endian ints,
 *       capped at the store's {@link #maxSequenceLength()};</li>
 *   <li>{@code user_ids}: user dense id -> user id, so exports list users in order of first appearance;</li>
 *   <li>{@code item_ids}: item dense id (1..N) -> item id, the shared item vocabulary;</li>
 *   <li>{@code offsets}: topic + partition -> next offset to consume, written in the same batch as the data;
 *       NUL + topic -> the id of the topic those offsets are in (a topic deleted and created again under the same
 *       name has another id, and offsets of its own);</li>
 *   <li>{@code meta}: counters (users, items, events, rejected) and the max sequence length, recorded when the
 *       store is created, which every later writer keeps.</li>
 * </ul>
 * One process opens a store for writing ({@link #open}); appends for disjoint users may run concurrently, and reads
 * are thread-safe at any time. Other processes open it with {@link #openReadOnly} (a fixed snapshot) or
 * {@link #openSecondary} (follows the writer via {@link #catchUp()}).
 * <p>
 * {@link #close()} waits for the calls using the database to finish; after it, every call but {@link #directory()},
 * {@link #maxSequenceLength()} and {@link #counts()} throws {@link IllegalStateException}.
 */
public final class RocksSequenceStore implements SequenceStore {
    static {
        RocksDB.loadLibrary();
    }

    private static final String SEQUENCES = "sequences";
    private static final String USER_IDS = "user_ids";
    private static final String ITEM_IDS = "item_ids";
    private static final String OFFSETS = "offsets";
    private static final String META = "meta";
    private static final List<String> COLUMN_FAMILIES = List.of(SEQUENCES, USER_IDS, ITEM_IDS, OFFSETS, META);

    private static final byte[] USERS_KEY = "users".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ITEMS_KEY = "items".getBytes(StandardCharsets.UTF_8);
    private static final byte[] EVENTS_KEY = "events".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REJECTED_KEY = "rejected".getBytes(StandardCharsets.UTF_8);
    private static final byte[] MAX_LENGTH_KEY = "max-length".getBytes(StandardCharsets.UTF_8);
    /** First guesses of a user's share of an append batch (its put, and as a new user its id's) and an item's. */
    private static final int ESTIMATED_BYTES_PER_USER = 128;
    private static final int ESTIMATED_BYTES_PER_ITEM = 32;
    /** Users per multiGet when exporting. */
    private static final int EXPORT_CHUNK = 1024;
    /** Bloom filter bits per key: point lookups of absent users then rarely touch disk. */
    private static final double BLOOM_BITS_PER_KEY = 10;

    /** Large memtables: every append rewrites a user's sequence, and flushes must not stall the ingest path. */
    private static final long WRITE_BUFFER_BYTES = 128L << 20;
    private static final int MAX_WRITE_BUFFERS = 4;
    private static final int BACKGROUND_JOBS = 4;
    /** Hash buckets of the sequences memtable are chosen by at most this many leading bytes of the user id. */
    private static final int SEQUENCE_KEY_PREFIX_BYTES = 32;
    /** About a million: 8 MiB per memtable, few users sharing a bucket until a memtable holds millions. */
    private static final long SEQUENCE_MEMTABLE_BUCKETS = 1L << 20;
    /** Table files the writer keeps open; it opens the others when needed. */
    private static final int WRITER_MAX_OPEN_FILES = 1000;
    /**
     * Read-only and secondary instances open every table file when they open (or catch up): the writer's
     * compactions delete files, and one opened lazily later would be gone ("IO error: No such file"), while an open
     * file stays readable after deletion.
     */
    private static final int OPEN_ALL_FILES = -1;

    private enum Mode { WRITABLE, READ_ONLY, SECONDARY }

    private final Path dir;
    private final Mode mode;
    private final int maxSequenceLength;
    private final long appendCacheBytes;
    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final ColumnFamilyOptions sequenceOptions;
    private final ColumnFamilyOptions userIdOptions;
    private final ColumnFamilyOptions counterOptions;
    private final UInt64AddOperator counterAdd;
    private final Cache blockCache;
    /** Native filter policies of the table configs, closed with the options (the configs do not own them). */
    private final BloomFilter cfBloomFilter;
    private final BloomFilter sequenceBloomFilter;
    private final WriteOptions writeOptions;
    private final List<ColumnFamilyHandle> handles;
    private final ColumnFamilyHandle sequences;
    private final ColumnFamilyHandle userIds;
    private final ColumnFamilyHandle itemIds;
    private final ColumnFamilyHandle offsets;
    private final ColumnFamilyHandle meta;
    /** Column family ids, for {@link EncodedWriteBatch}. */
    private final int sequencesId;
    private final int itemIdsId;
    private final int userIdsId;
    private final int offsetsId;
    private final int metaId;

    /**
     * Item id (UTF-8) -> dense id, for every item whose dictionary entry is written (it cannot take keys back): one
     * dictionary for all ingest writers, looked up without building strings.
     */
    private final Utf8ItemIdTable writtenItemsByBytes = new Utf8ItemIdTable();
    /**
     * Dense id - 1 -> item id; replaced by a longer copy when full, entries published through itemCount. Readers
     * read itemCount before itemNames: {@link #publishItem} writes the array first, so an array read after a count
     * holds at least that many entries.
     */
    private volatile String[] itemNames = new String[1024];
    private volatile int itemCount;
    /** Serialises growth of the item dictionary, which is written before the data that uses it. */
    private final Object itemLock = new Object();
    /**
     * Every user written since the store was opened empty, while they fit ({@link StoreConfig#writtenUsersFilterBytes});
     * null for a store that held users when opened, once more were written, or with the filter off.
     */
    private volatile WrittenUserFilter writtenUsers;
    /** Users added to {@link #writtenUsers}, or about to be. */
    private final AtomicLong writtenUserCount = new AtomicLong();
    private final AtomicLong nextUserId = new AtomicLong(1);
    private final AtomicLong userCount = new AtomicLong();
    private final AtomicLong eventCount = new AtomicLong();
    private final AtomicLong rejectedCount = new AtomicLong();
    /**
     * Shared by every call that uses the native handles, exclusive to {@link #close()}, which frees them: a call
     * racing close either finishes before them or finds the store closed, instead of crashing the JVM in RocksDB.
     */
    private final ReentrantReadWriteLock handlesLock = new ReentrantReadWriteLock();
    private final Lock handlesInUse = handlesLock.readLock();
    /** Set under the exclusive lock; read without it by calls that only need an early answer. */
    private volatile boolean closed;

    private RocksSequenceStore(Path dir, Mode mode, StoreConfig config, Path secondaryDir) {
        this.dir = dir;
        this.mode = mode;
        this.appendCacheBytes = config.appendCacheBytes();
        this.blockCache = new LRUCache(config.blockCacheBytes());
        this.cfBloomFilter = new BloomFilter(BLOOM_BITS_PER_KEY);
        this.sequenceBloomFilter = new BloomFilter(BLOOM_BITS_PER_KEY);
        this.cfOptions = new ColumnFamilyOptions()
                .setWriteBufferSize(WRITE_BUFFER_BYTES)
                .setMaxWriteBufferNumber(MAX_WRITE_BUFFERS)
                .setTableFormatConfig(new BlockBasedTableConfig()
                        .setBlockCache(blockCache)
                        .setFilterPolicy(cfBloomFilter));
        // Sequences are only read by point lookups: a hashed memtable inserts and finds about twice as fast as the
        // default skip list (an iterator over this family would see one key prefix only, unless it asked for a
        // total-order seek, which the hashed memtable makes slow; none is used). Hashed linked lists rather than
        // skip lists: a user is a bucket of its own, and a list of one costs less to start than a skip list (an
        // ingest flush's memtable writes, done one batch at a time, take about 20% less).
        this.sequenceOptions = new ColumnFamilyOptions()
                .setWriteBufferSize(WRITE_BUFFER_BYTES)
                .setMaxWriteBufferNumber(MAX_WRITE_BUFFERS)
                .useCappedPrefixExtractor(SEQUENCE_KEY_PREFIX_BYTES)
                .setMemTableConfig(new HashLinkedListMemTableConfig()
                        .setBucketCount(SEQUENCE_MEMTABLE_BUCKETS)
                        .setIfLogBucketDistWhenFlush(false))
                .setCompressionType(CompressionType.NO_COMPRESSION) // dense int ids barely compress; save the CPU
                .setTableFormatConfig(new BlockBasedTableConfig()
                        .setBlockCache(blockCache)
                        .setFilterPolicy(sequenceBloomFilter));
        // User ids are written in about increasing order and only ever iterated (exports from a read-only instance,
        // the writer's highest id at open): appending to a vector, sorted when iterated (a sorted copy while the
        // memtable is still written), is the cheapest memtable for that.
        this.userIdOptions = new ColumnFamilyOptions()
                .setWriteBufferSize(WRITE_BUFFER_BYTES)
                .setMaxWriteBufferNumber(MAX_WRITE_BUFFERS)
                .setMemTableConfig(new VectorMemTableConfig())
                .setTableFormatConfig(new BlockBasedTableConfig()
                        .setBlockCache(blockCache)
                        .setFilterPolicy(cfBloomFilter));
        this.counterAdd = new UInt64AddOperator();
        this.counterOptions = new ColumnFamilyOptions().setMergeOperator(counterAdd);
        this.dbOptions = new DBOptions()
                .setCreateIfMissing(mode == Mode.WRITABLE)
                .setCreateMissingColumnFamilies(mode == Mode.WRITABLE)
                .setMaxBackgroundJobs(BACKGROUND_JOBS)
                .setAllowConcurrentMemtableWrite(false) // the hashed memtable does not support it
                .setMaxOpenFiles(mode == Mode.WRITABLE ? WRITER_MAX_OPEN_FILES : OPEN_ALL_FILES);
        this.writeOptions = new WriteOptions().setSync(config.syncWrites()).setDisableWAL(false);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
        for (String name : COLUMN_FAMILIES) {
            descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8),
                    switch (name) {
                        case META -> counterOptions;
                        case SEQUENCES -> sequenceOptions;
                        case USER_IDS -> userIdOptions;
                        default -> cfOptions;
                    }));
        }
        this.handles = new ArrayList<>();
        try {
            if (mode != Mode.WRITABLE && !Files.isRegularFile(dir.resolve("CURRENT"))) {
                throw new IllegalArgumentException("no sequence store at " + dir);
            }
            if (mode == Mode.WRITABLE) {
                Files.createDirectories(dir);
            }
            this.db = switch (mode) {
                case WRITABLE -> RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
                case READ_ONLY -> RocksDB.openReadOnly(dbOptions, dir.toString(), descriptors, handles);
                case SECONDARY -> RocksDB.openAsSecondary(dbOptions, dir.toString(), secondaryDir.toString(),
                        descriptors, handles);
            };
        } catch (RocksDBException | IOException e) {
            releaseOptions();
            throw new IllegalStateException(openFailure(dir, e), e);
        } catch (RuntimeException e) {
            releaseOptions();
            throw e;
        }
        this.sequences = handles.get(1);
        this.userIds = handles.get(2);
        this.itemIds = handles.get(3);
        this.offsets = handles.get(4);
        this.meta = handles.get(5);
        this.sequencesId = sequences.getID();
        this.itemIdsId = itemIds.getID();
        this.userIdsId = userIds.getID();
        this.offsetsId = offsets.getID();
        this.metaId = meta.getID();
        try {
            loadState();
            this.maxSequenceLength = settleMaxSequenceLength(config.maxSequenceLength());
            if (mode == Mode.WRITABLE && userCount.get() == 0 && nextUserId.get() == 1
                    && config.writtenUsersFilterBytes() > 0) {
                writtenUsers = new WrittenUserFilter(config.writtenUsersFilterBytes());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Why the store at {@code dir} could not be opened, in words: RocksDB's lock error ("While lock file: dir/LOCK:
     * Resource temporarily unavailable") means that another process writes to it, and a file where the directory
     * should be makes Java name only the file.
     */
    private static String openFailure(Path dir, Exception e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof RocksDBException && message.contains("While lock file")) {
            return "sequence store " + dir + " is in use by another process (its LOCK file is held)";
        }
        if (e instanceof RocksDBException && message.contains("lock hold by current process")) {
            return "sequence store " + dir + " is already open for writing in this process";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "cannot open sequence store " + dir + ": " + message + " is a file, not a directory";
        }
        return "cannot open sequence store " + dir + ": " + message;
    }

    /**
     * The store's max sequence length: the recorded one, which {@code asked}, when given, must equal; a store without
     * one (new, or written by a seqrec that did not record it) records {@code asked} or the default when opened for
     * writing, unless it holds longer histories than that.
     */
    private int settleMaxSequenceLength(OptionalInt asked) {
        byte[] value = get(meta, MAX_LENGTH_KEY);
        if (value != null) {
            int recorded = Math.toIntExact(ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getLong());
            if (asked.isPresent() && asked.getAsInt() != recorded) {
                throw new IllegalArgumentException("sequence store " + dir + " keeps each user's last " + recorded
                        + " items (fixed when it was created), not " + asked.getAsInt() + ": pass --max-length "
                        + recorded + ", or use a new store");
            }
            return recorded;
        }
        int cap = asked.orElse(StoreConfig.DEFAULT_MAX_SEQUENCE_LENGTH);
        if (mode != Mode.WRITABLE) {
            return cap;
        }
        if (userCount.get() > 0) {
            int longest = longestSequence();
            if (longest > cap) {
                throw new IllegalArgumentException("sequence store " + dir + " has no recorded max length (an "
                        + "earlier seqrec wrote it) and holds histories of up to " + longest + " items, more than "
                        + cap + ": give the --max-length it was ingested with");
            }
        }
        try {
            db.put(meta, writeOptions, MAX_LENGTH_KEY, counterValue(cap));
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot write to sequence store " + dir + ": " + e.getMessage(), e);
        }
        return cap;
    }

    /**
     * The most items any user's stored sequence holds: reads every sequence, by the users in order of first
     * appearance (the sequences' own family is for point lookups only, see the constructor).
     */
    private int longestSequence() {
        int longest = 0;
        try (RocksIterator it = db.newIterator(userIds)) {
            List<byte[]> chunk = new ArrayList<>(EXPORT_CHUNK);
            for (it.seekToFirst(); ; it.next()) {
                boolean valid = it.isValid();
                if (valid) {
                    chunk.add(it.value());
                }
                if (chunk.size() == EXPORT_CHUNK || (!valid && !chunk.isEmpty())) {
                    for (byte[] value : db.multiGetAsList(Collections.nCopies(chunk.size(), sequences), chunk)) {
                        if (value != null) {
                            longest = Math.max(longest, value.length / Integer.BYTES - 1);
                        }
                    }
                    chunk.clear();
                }
                if (!valid) {
                    return longest;
                }
            }
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot read sequence store " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Opens (creating if needed) a store for writing; only one process may hold it. */
    public static RocksSequenceStore open(Path dir, StoreConfig config) {
        return new RocksSequenceStore(dir, Mode.WRITABLE, config, null);
    }

    /** Opens a consistent snapshot of a store that another process may be writing; later writes stay invisible. */
    public static RocksSequenceStore openReadOnly(Path dir) {
        return new RocksSequenceStore(dir, Mode.READ_ONLY, StoreConfig.defaults(), null);
    }

    /**
     * Opens a store that another process is writing as a RocksDB secondary instance; {@link #catchUp()} makes the
     * writer's latest batches visible. {@code secondaryDir} holds this instance's own logs.
     */
    public static RocksSequenceStore openSecondary(Path dir, Path secondaryDir) {
        return openSecondary(dir, secondaryDir, StoreConfig.defaults());
    }

    /**
     * {@link #openSecondary(Path, Path)} with {@code config}'s block cache (its write settings do not apply). A max
     * sequence length in {@code config} must be the store's, as for a writer: a reader told one should not silently
     * read a store that keeps another.
     */
    public static RocksSequenceStore openSecondary(Path dir, Path secondaryDir, StoreConfig config) {
        try {
            Files.createDirectories(secondaryDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + secondaryDir, e);
        }
        return new RocksSequenceStore(dir, Mode.SECONDARY, config, secondaryDir);
    }

    public Path directory() {
        return dir;
    }

    public int maxSequenceLength() {
        return maxSequenceLength;
    }

    /** Heap the ingest writers may use for cached user tails, see {@link StoreConfig#appendCacheBytes()}. */
    long appendCacheBytes() {
        return appendCacheBytes;
    }

    /** Secondary instances: applies what the writer has committed since the last call. */
    public synchronized void catchUp() {
        if (mode != Mode.SECONDARY) {
            throw new IllegalStateException("catchUp() is for stores opened with openSecondary");
        }
        useHandles();
        try {
            db.tryCatchUpWithPrimary();
            loadState();
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot catch up with " + dir + ": " + e.getMessage(), e);
        } finally {
            handlesInUse.unlock();
        }
    }

    /** At opening, or with the handles in use. */
    private void loadState() {
        userCount.set(readCounter(USERS_KEY));
        eventCount.set(readCounter(EVENTS_KEY));
        rejectedCount.set(readCounter(REJECTED_KEY));
        if (mode == Mode.WRITABLE) { // only the writer makes ids; a secondary's catchUp would sort them all each time
            try (RocksIterator it = db.newIterator(userIds)) {
                it.seekToLast();
                // Ids of users whose batch failed are never reused, so take the highest stored id, not the count.
                nextUserId.set(it.isValid() ? ByteBuffer.wrap(it.key()).getInt() + 1L : 1L);
            }
        }
        int known = itemCount;
        try (RocksIterator it = db.newIterator(itemIds)) {
            for (it.seek(intKey(known + 1)); it.isValid(); it.next()) {
                int id = ByteBuffer.wrap(it.key()).getInt();
                String name = new String(it.value(), StandardCharsets.UTF_8);
                if (id != itemCount + 1) {
                    throw new IllegalStateException("sequence store " + dir + " is corrupt: item id " + id
                            + " follows " + itemCount);
                }
                publishItem(name);
            }
        }
        synchronized (itemLock) {
            indexWrittenItems();
        }
    }

    private long readCounter(byte[] key) {
        byte[] value = get(meta, key);
        return value == null ? 0 : ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private void publishItem(String name) {
        String[] names = itemNames;
        int id = itemCount + 1;
        if (id > names.length) {
            names = Arrays.copyOf(names, names.length * 2);
            itemNames = names;
        }
        names[id - 1] = name;
        itemCount = id;
    }

    /** Adds the published items that {@link #writtenItemsByBytes} lacks; under {@link #itemLock}. */
    private void indexWrittenItems() {
        int count = itemCount; // before the array, see itemNames
        String[] names = itemNames;
        for (int id = writtenItemsByBytes.size() + 1; id <= count; id++) {
            byte[] name = utf8(names[id - 1]);
            writtenItemsByBytes.add(name, 0, name.length, Utf8KeyTable.hash(name, 0, name.length), id);
        }
    }

    private void unpublishItemsAbove(int count) {
        String[] names = itemNames;
        for (int id = itemCount; id > count; id--) {
            names[id - 1] = null;
        }
        itemCount = count;
    }

    @Override
    public List<String> recentItems(String userId, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, got " + n);
        }
        byte[] value = get(sequences, IdBytes.of(userId, "user id"));
        if (value == null || n == 0) {
            return List.of();
        }
        ByteBuffer buffer = ByteBuffer.wrap(value);
        int length = value.length / Integer.BYTES - 1;
        int take = Math.min(n, length);
        String[] items = new String[take];
        for (int i = 0; i < take; i++) {
            items[i] = itemName(buffer.getInt((1 + length - take + i) * Integer.BYTES));
        }
        return Arrays.asList(items);
    }

    /** Number of items stored for the user (at most the cap). */
    public int sequenceLength(String userId) {
        byte[] value = get(sequences, IdBytes.of(userId, "user id"));
        return value == null ? 0 : value.length / Integer.BYTES - 1;
    }

    /** The item's dense id in the store's vocabulary, or {@link IdMapping#UNKNOWN}. */
    public int itemId(String item) {
        requireOpen();
        byte[] name = IdBytes.of(item, "item id");
        int id = writtenItemsByBytes.get(name, 0, name.length, Utf8KeyTable.hash(name, 0, name.length));
        return id == Utf8ItemIdTable.ABSENT ? IdMapping.UNKNOWN : id;
    }

    /** The store's item vocabulary: dense ids 1..N in order of first appearance, the same ids the store uses. */
    public IdMapping itemVocabulary() {
        requireOpen();
        IdMapping mapping = new IdMapping();
        int count = itemCount;
        String[] names = itemNames;
        for (int i = 0; i < count; i++) {
            mapping.getOrAdd(names[i]);
        }
        return mapping;
    }

    /** How many of the store's items a model with vocabulary {@code modelItems} does not know. */
    public long countItemsUnknownTo(IdMapping modelItems) {
        requireOpen();
        int count = itemCount;
        String[] names = itemNames;
        long unknown = 0;
        for (int i = 0; i < count; i++) {
            if (modelItems.id(names[i]) == IdMapping.UNKNOWN) {
                unknown++;
            }
        }
        return unknown;
    }

    /**
     * How many users, distinct items and accepted events the store holds; after {@link #close()}, what it held then
     * (metrics and status pages may still ask while a service shuts down).
     */
    public StoreCounts counts() {
        return new StoreCounts(userCount.get(), itemCount, eventCount.get(), rejectedCount.get());
    }

    /** The next offset to consume from the partition, if this store has consumed it before. */
    public OptionalLong storedOffset(String topic, int partition) {
        byte[] value = get(offsets, offsetKey(topic, partition));
        return value == null ? OptionalLong.empty() : OptionalLong.of(ByteBuffer.wrap(value).getLong());
    }

    /**
     * The id of the topic that the stored offsets of {@code topic} are in, as {@link #recordTopicId} recorded it;
     * empty when none was (a store written before ids were recorded, or one that never consumed the topic).
     */
    public Optional<String> storedTopicId(String topic) {
        byte[] value = get(offsets, topicIdKey(topic));
        return value == null ? Optional.empty() : Optional.of(new String(value, StandardCharsets.UTF_8));
    }

    /** Records that the stored offsets of {@code topic} are, and its next ones will be, in the topic with this id. */
    public void recordTopicId(String topic, String id) {
        requireWritable();
        useHandles();
        try {
            db.put(offsets, writeOptions, topicIdKey(topic), utf8(id));
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot write to sequence store " + dir + ": " + e.getMessage(), e);
        } finally {
            handlesInUse.unlock();
        }
    }

    /** Every stored partition offset of the topic, by partition. */
    public Map<Integer, Long> storedOffsets(String topic) {
        Map<Integer, Long> result = new TreeMap<>();
        byte[] prefix = topicPrefix(topic);
        useHandles();
        try (RocksIterator it = db.newIterator(offsets)) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                int partition = ByteBuffer.wrap(it.key(), prefix.length, Integer.BYTES).getInt();
                result.put(partition, ByteBuffer.wrap(it.value()).getLong());
            }
        } finally {
            handlesInUse.unlock();
        }
        return result;
    }

    /** Appends interactions in order, with no source offsets (tools and tests). */
    public void append(List<Interaction> interactions) {
        append(interactions, List.of(), 0);
    }

    /**
     * Appends interactions (each user's in the given order) and records the consumed offsets and the number of
     * rejected events, all in one atomic RocksDB write: after a crash either all of it is there or none.
     * Concurrent calls are allowed when they share no user, as when each caller consumes its own partitions of a
     * topic keyed by user.
     */
    public void append(List<Interaction> interactions, Collection<PartitionOffset> consumed, long rejected) {
        requireWritable();
        SequenceAppender appender = new SequenceAppender(this, 0);
        appender.add(interactions);
        consumed.forEach(appender::consumed);
        appender.rejected(rejected);
        appender.flush();
    }

    /** A coalescing appender for one writer thread, see {@link SequenceAppender}. */
    SequenceAppender newAppender(long cacheBytes) {
        requireWritable();
        return new SequenceAppender(this, cacheBytes);
    }

    /**
     * The stored values of the users' sequences, null for users the store does not hold; users the written-users
     * filter has never seen are not read.
     */
    List<byte[]> storedSequences(List<byte[]> userKeys) {
        requireWritable();
        WrittenUserFilter written = writtenUsers;
        List<byte[]> read = userKeys;
        if (written != null) {
            read = new ArrayList<>();
            for (byte[] key : userKeys) {
                if (written.mightContain(key)) {
                    read.add(key);
                }
            }
            if (read.isEmpty()) {
                return Arrays.asList(new byte[userKeys.size()][]);
            }
        }
        useHandles();
        try {
            List<byte[]> values = db.multiGetAsList(Collections.nCopies(read.size(), sequences), read);
            if (read == userKeys) {
                return values;
            }
            List<byte[]> all = new ArrayList<>(userKeys.size());
            int next = 0;
            for (byte[] key : userKeys) {
                all.add(next < read.size() && read.get(next) == key ? values.get(next++) : null);
            }
            return all;
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot read sequence store " + dir + ": " + e.getMessage(), e);
        } finally {
            handlesInUse.unlock();
        }
    }

    /** A dense id for a new user; ids of users whose batch failed are never reused. */
    int newUserId() {
        return Math.toIntExact(nextUserId.getAndIncrement());
    }

    /** Writes the users' tails, ids of new users, offsets and counters in one atomic batch. */
    void writeAppends(List<SequenceAppender.UserTail> users, Map<String, Map<Integer, Long>> consumed, long events,
                      long rejected) {
        requireWritable();
        long newUsers = 0;
        EncodedWriteBatch encoded = new EncodedWriteBatch(users.size() * ESTIMATED_BYTES_PER_USER);
        for (SequenceAppender.UserTail user : users) {
            if (!user.stored) {
                encoded.put(userIdsId, intKey(user.userId), user.key);
                newUsers++;
            }
            encoded.beginPut(sequencesId, user.key, user.valueBytes());
            user.writeValue(encoded);
        }
        noteWrittenUsers(users, newUsers);
        if (newUsers > 0) {
            encoded.merge(metaId, USERS_KEY, counterValue(newUsers));
        }
        if (events > 0) {
            encoded.merge(metaId, EVENTS_KEY, counterValue(events));
        }
        if (rejected > 0) {
            encoded.merge(metaId, REJECTED_KEY, counterValue(rejected));
        }
        for (Map.Entry<String, Map<Integer, Long>> topic : consumed.entrySet()) {
            for (Map.Entry<Integer, Long> offset : topic.getValue().entrySet()) {
                encoded.put(offsetsId, offsetKey(topic.getKey(), offset.getKey()), longValue(offset.getValue()));
            }
        }
        useHandles();
        try (WriteBatch batch = encoded.toWriteBatch()) {
            db.write(writeOptions, batch);
        } catch (RocksDBException | RuntimeException e) {
            throw new IllegalStateException("cannot append to sequence store " + dir + ": " + e.getMessage(), e);
        } finally {
            handlesInUse.unlock();
        }
        userCount.addAndGet(newUsers);
        eventCount.addAndGet(events);
        rejectedCount.addAndGet(rejected);
    }

    /** Whether appends skip reading users the store has never written (see {@link StoreConfig#writtenUsersFilterBytes}). */
    boolean skipsReadsOfUnwrittenUsers() {
        return writtenUsers != null;
    }

    /**
     * Adds new users to the written-users filter before they are written (a failed write leaves a false "maybe"
     * only), or drops the filter for good when they would not fit.
     */
    private void noteWrittenUsers(List<SequenceAppender.UserTail> users, long newUsers) {
        WrittenUserFilter written = writtenUsers;
        if (written == null || newUsers == 0) {
            return;
        }
        if (writtenUserCount.addAndGet(newUsers) > written.capacity()) {
            writtenUsers = null;
            return;
        }
        for (SequenceAppender.UserTail user : users) {
            if (!user.stored) {
                written.add(user.key);
            }
        }
    }

    /**
     * Sets each event's {@link Utf8EventBatch#itemIds} to the dense id of its item. Known items are looked up without
     * locks, by any number of writer threads at once; new items are added to the dictionary and written on their own
     * before the data that uses them, so a failed or lost data batch leaves at most unused items, never a gap in the
     * ids.
     */
    void denseItemIds(Utf8EventBatch events) {
        writtenItemsByBytes.getAll(events.itemSources, events.itemFrom, events.itemTo, events.itemHashes, events.size,
                events.itemIds);
        for (int e = 0; e < events.size; e++) {
            if (events.itemIds[e] == Utf8ItemIdTable.ABSENT) {
                addItems(events, e);
                return;
            }
        }
    }

    /** The ids of the batch's items from event {@code first} on that {@link #denseItemIds} did not find. */
    private void addItems(Utf8EventBatch events, int first) {
        useHandles(); // before itemLock, in the order catchUp takes them
        try {
            synchronized (itemLock) {
                int before = itemCount;
                Utf8ItemIdTable added = null; // this call's new items, kept out of the shared table until written
                EncodedWriteBatch dictionary = null;
                try {
                    for (int e = first; e < events.size; e++) {
                        if (events.itemIds[e] != Utf8ItemIdTable.ABSENT) {
                            continue;
                        }
                        byte[] source = events.itemSources[e];
                        int from = events.itemFrom[e];
                        int to = events.itemTo[e];
                        int hash = events.itemHashes[e];
                        int id = writtenItemsByBytes.get(source, from, to, hash); // another writer may have added it
                        if (id == Utf8ItemIdTable.ABSENT && added != null) {
                            id = added.get(source, from, to, hash);
                        }
                        if (id == Utf8ItemIdTable.ABSENT) {
                            if (added == null) {
                                added = new Utf8ItemIdTable();
                                dictionary = new EncodedWriteBatch((events.size - e) * ESTIMATED_BYTES_PER_ITEM);
                            }
                            publishItem(events.item(e));
                            id = itemCount;
                            added.add(source, from, to, hash, id);
                            dictionary.put(itemIdsId, intKey(id), Arrays.copyOfRange(source, from, to));
                        }
                        events.itemIds[e] = id;
                    }
                    if (added == null) {
                        return;
                    }
                    dictionary.put(metaId, ITEMS_KEY, counterValue(itemCount));
                    try (WriteBatch batch = dictionary.toWriteBatch()) {
                        db.write(writeOptions, batch);
                    }
                    indexWrittenItems();
                } catch (RocksDBException e) {
                    unpublishItemsAbove(before);
                    throw new IllegalStateException("cannot add items to sequence store " + dir + ": "
                            + e.getMessage(), e);
                } catch (RuntimeException e) {
                    unpublishItemsAbove(before);
                    throw e;
                }
            }
        } finally {
            handlesInUse.unlock();
        }
    }

    /**
     * Writes every user's sequence as a line {@code user item item ...} (the .txt sequence format), users in order
     * of first appearance; the file appears complete or not at all. Returns the number of users written.
     */
    public long exportSequences(Path out) throws IOException {
        long[] written = {0};
        useHandles();
        try {
            AtomicFile.write(out, tmp -> {
                try (BufferedWriter writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
                     RocksIterator it = db.newIterator(userIds)) {
                    List<byte[]> chunk = new ArrayList<>(EXPORT_CHUNK);
                    for (it.seekToFirst(); it.isValid(); it.next()) {
                        chunk.add(it.value());
                        if (chunk.size() == EXPORT_CHUNK) {
                            written[0] += writeLines(chunk, writer);
                        }
                    }
                    written[0] += writeLines(chunk, writer);
                }
            });
        } finally {
            handlesInUse.unlock();
        }
        return written[0];
    }

    private int writeLines(List<byte[]> users, BufferedWriter writer) throws IOException {
        if (users.isEmpty()) {
            return 0;
        }
        List<byte[]> values;
        try {
            values = db.multiGetAsList(Collections.nCopies(users.size(), sequences), users);
        } catch (RocksDBException e) {
            throw new IOException("cannot read sequences from " + dir + ": " + e.getMessage(), e);
        }
        StringBuilder line = new StringBuilder();
        for (int u = 0; u < users.size(); u++) {
            byte[] value = values.get(u);
            if (value == null) {
                throw new IOException("sequence store " + dir + " is corrupt: no sequence for user "
                        + new String(users.get(u), StandardCharsets.UTF_8));
            }
            line.setLength(0);
            line.append(new String(users.get(u), StandardCharsets.UTF_8));
            ByteBuffer buffer = ByteBuffer.wrap(value);
            for (int i = 1; i < value.length / Integer.BYTES; i++) {
                line.append(' ').append(itemName(buffer.getInt(i * Integer.BYTES)));
            }
            writer.write(line.append('\n').toString());
        }
        int count = users.size();
        users.clear();
        return count;
    }

    /** The item id of a dense id. */
    String itemName(int id) {
        int count = itemCount; // before the array, see itemNames
        if (id >= 1 && id <= count) {
            return itemNames[id - 1];
        }
        byte[] value = get(itemIds, intKey(id));
        if (value == null) {
            throw new IllegalStateException("sequence store " + dir + " is corrupt: unknown item id " + id);
        }
        return new String(value, StandardCharsets.UTF_8);
    }

    private byte[] get(ColumnFamilyHandle family, byte[] key) {
        useHandles();
        try {
            return db.get(family, key);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot read sequence store " + dir + ": " + e.getMessage(), e);
        } finally {
            handlesInUse.unlock();
        }
    }

    /**
     * Takes {@link #handlesInUse}, which the caller releases once done with the handles; throws, holding nothing, if
     * the store is closed.
     */
    private void useHandles() {
        handlesInUse.lock();
        if (closed) {
            handlesInUse.unlock();
            throw closedException();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw closedException();
        }
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("sequence store " + dir + " is closed");
    }

    private void requireWritable() {
        if (mode != Mode.WRITABLE) {
            throw new IllegalStateException("sequence store " + dir + " is open read-only");
        }
        requireOpen();
    }

    /** Waits for the calls using the native handles, then frees them. */
    @Override
    public void close() {
        handlesLock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (ColumnFamilyHandle handle : handles) {
                handle.close();
            }
            db.close();
            releaseOptions();
        } finally {
            handlesLock.writeLock().unlock();
        }
    }

    private void releaseOptions() {
        writeOptions.close();
        dbOptions.close();
        cfOptions.close();
        sequenceOptions.close();
        userIdOptions.close();
        counterOptions.close();
        counterAdd.close();
        cfBloomFilter.close();
        sequenceBloomFilter.close();
        blockCache.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] intKey(int id) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(id).array();
    }

    /** Counters use RocksDB's uint64add merge operator, which reads little-endian values. */
    private static byte[] counterValue(long value) {
        return ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    private static byte[] longValue(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    private static byte[] topicPrefix(String topic) {
        byte[] name = utf8(topic);
        return Arrays.copyOf(name, name.length + 1); // NUL separator: no topic name contains it
    }

    /**
     * NUL, then the topic: apart from every offset key (a topic name never holds NUL, so none begins with it), and
     * before them all.
     */
    private static byte[] topicIdKey(String topic) {
        byte[] name = utf8(topic);
        byte[] key = new byte[name.length + 1];
        System.arraycopy(name, 0, key, 1, name.length);
        return key;
    }

    private static byte[] offsetKey(String topic, int partition) {
        byte[] prefix = topicPrefix(topic);
        return ByteBuffer.allocate(prefix.length + Integer.BYTES).put(prefix).putInt(partition).array();
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
