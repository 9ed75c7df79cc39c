package dev.sgw.core.meta;

import java.util.ArrayDeque;
import java.util.Deque;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.BuiltinComparator;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksObject;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

/**
 * The RocksDB option objects of one open store, built from its {@link MetadataStore.Tuning} and freed
 * together (after the database) by {@link #close()}.
 *
 * <p>The choices, for a gateway on a small machine:
 * <ul>
 *   <li>One LRU block cache for every family; memtables are charged to it through a write buffer
 *       manager, so {@code cacheBytes} bounds both (RocksDB may overshoot it a little).</li>
 *   <li>Bloom filters (10 bits per key) for the point lookups that dominate the namespace; index and
 *       filter blocks live in the cache so they count against it.</li>
 *   <li>Bytewise comparator, stated explicitly: the key schema's ordering depends on it.</li>
 *   <li>WAL recovery {@link WALRecoveryMode#PointInTimeRecovery}: after a crash the log is replayed up
 *       to the first torn or corrupt record and the store opens at that consistent point. Synced
 *       updates always lie before a torn tail, so they are kept; the default, stricter
 *       {@code AbsoluteConsistency} would refuse to open after a torn write.</li>
 *   <li>Atomic flush: memtables of all families are flushed together, so the families never disagree
 *       about which log records they already hold, even when recovery stops early in the log.</li>
 *   <li>{@code avoidFlushDuringShutdown(false)}: a clean close leaves nothing that only the log holds
 *       that could have been flushed.</li>
 * </ul>
 */
final class RocksSettings implements AutoCloseable {
    private static final int BLOOM_BITS_PER_KEY = 10;
    private static final long BLOCK_BYTES = 16 * 1024;
    private static final int MEMTABLES_PER_FAMILY = 3;

    private final Deque<RocksObject> owned = new ArrayDeque<>(); // closed last-created first
    final DBOptions db;
    final ColumnFamilyOptions family;
    final WriteOptions durableWrite;
    final WriteOptions bufferedWrite;

    RocksSettings(MetadataStore.Tuning tuning) {
        try {
            LRUCache cache = own(new LRUCache(tuning.cacheBytes()));
            BloomFilter bloom = own(new BloomFilter(BLOOM_BITS_PER_KEY));
            WriteBufferManager memtables = own(new WriteBufferManager(tuning.memtableBytes(), cache));

            BlockBasedTableConfig table = new BlockBasedTableConfig()
                    .setBlockCache(cache)
                    .setFilterPolicy(bloom)
                    .setBlockSize(BLOCK_BYTES)
                    .setCacheIndexAndFilterBlocks(true)
                    .setPinL0FilterAndIndexBlocksInCache(true);
            family = own(new ColumnFamilyOptions())
                    .setComparator(BuiltinComparator.BYTEWISE_COMPARATOR)
                    .setTableFormatConfig(table)
                    .setWriteBufferSize(Math.max(1 << 20, tuning.memtableBytes() / 4))
                    .setMaxWriteBufferNumber(MEMTABLES_PER_FAMILY)
                    .setCompressionType(CompressionType.LZ4_COMPRESSION)
                    .setLevelCompactionDynamicLevelBytes(true);

            db = own(new DBOptions())
                    .setCreateIfMissing(true)
                    .setCreateMissingColumnFamilies(true)
                    .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
                    .setAtomicFlush(true)
                    .setAvoidFlushDuringShutdown(false)
                    .setWriteBufferManager(memtables)
                    .setMaxTotalWalSize(4 * tuning.memtableBytes())
                    .setMaxBackgroundJobs(2)
                    .setKeepLogFileNum(4)
                    .setMaxLogFileSize(4L << 20);

            durableWrite = own(new WriteOptions()).setSync(true).setDisableWAL(false);
            bufferedWrite = own(new WriteOptions()).setSync(false).setDisableWAL(false);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    WriteOptions write(Durability durability) {
        return durability == Durability.DURABLE ? durableWrite : bufferedWrite;
    }

    private <T extends RocksObject> T own(T object) {
        owned.push(object);
        return object;
    }

    @Override
    public void close() {
        while (!owned.isEmpty()) {
            owned.pop().close();
        }
    }
}
