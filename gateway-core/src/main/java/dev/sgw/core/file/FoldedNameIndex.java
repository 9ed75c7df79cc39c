package dev.sgw.core.file;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.sgw.core.meta.Durability;
import dev.sgw.core.meta.MetaKey;
import dev.sgw.core.meta.MetaKeys;
import dev.sgw.core.meta.MetaScan;
import dev.sgw.core.meta.MetadataStoreException;
import dev.sgw.core.volume.FileNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a share's folded-name index ({@code MetaKeys.dirFolded}) matching its option when it opens. While
 * the share is case-insensitive, {@link InodeTable#link} and {@link InodeTable#unlink} keep the index in
 * each entry's batch; while it is case-sensitive nobody does, so:
 *
 * <pre>
 * opened as          counter "folded-index"   done at open
 * -----------------  -----------------------  ------------------------------------------------------
 * case-insensitive   present                  nothing: the index is complete
 * case-insensitive   absent (new share, an    clear the index, index every entry, then set the counter
 *                    old one, or switched on) (in the last batch, so a crash mid-way starts over)
 * case-sensitive     present                  drop the counter: the index goes stale from now on
 * case-sensitive     absent                   nothing
 * </pre>
 *
 * An entry made while the share was case-sensitive may fold alike with another in its directory ("b" and
 * "B"); the first in bytewise order is indexed, the other is logged and found by its exact name only.
 */
final class FoldedNameIndex {
    private static final Logger LOG = LoggerFactory.getLogger(FoldedNameIndex.class);
    private static final String COUNTER = "folded-index";
    private static final int ENTRIES_PER_BATCH = 10_000;

    private FoldedNameIndex() {}

    /** Brings the index of {@code table}'s share in line with its option (see the table above). */
    static void open(InodeTable table) throws MetadataStoreException {
        MetaKey marker = MetaKeys.counter(table.vol, COUNTER);
        boolean built = table.store.get(marker).isPresent();
        if (table.config.caseInsensitive() && !built) {
            build(table, marker);
        } else if (!table.config.caseInsensitive() && built) {
            table.store.update(b -> b.delete(marker), Durability.DURABLE);
        }
    }

    private static void build(InodeTable table, MetaKey marker) throws MetadataStoreException {
        table.store.update(b -> b.deleteRange(MetaKeys.dirFoldedNames(table.vol)), Durability.BUFFERED);
        long indexed = 0;
        try (MetaScan scan = table.store.scan(MetaKeys.dirEntries(table.vol))) {
            long parent = -1;
            Set<String> seen = new HashSet<>();
            List<MetaKeys.DirEntry> batch = new ArrayList<>();
            while (scan.next()) {
                MetaKeys.DirEntry e = (MetaKeys.DirEntry) MetaKeys.parse(scan.key());
                if (e.parent() != parent) {
                    parent = e.parent();
                    seen.clear();
                }
                if (!seen.add(FileNames.fold(e.name()))) {
                    LOG.info(
                            "share {}: '{}' in directory inode {} differs only in case from another entry; "
                                    + "it is found by its exact name only",
                            table.config.name(),
                            e.name(),
                            e.parent());
                    continue;
                }
                batch.add(e);
                if (batch.size() == ENTRIES_PER_BATCH) {
                    indexed += write(table, batch, Optional.empty());
                }
            }
            indexed += write(table, batch, Optional.of(marker));
        }
        LOG.info("share {}: indexed {} names for case-insensitive lookup", table.config.name(), indexed);
    }

    private static int write(InodeTable table, List<MetaKeys.DirEntry> entries, Optional<MetaKey> marker)
            throws MetadataStoreException {
        int n = entries.size();
        table.store.update(
                b -> {
                    for (MetaKeys.DirEntry e : entries) {
                        b.put(
                                MetaKeys.dirFolded(table.vol, e.parent(), FileNames.fold(e.name())),
                                e.name().getBytes(StandardCharsets.UTF_8));
                    }
                    if (marker.isPresent()) {
                        b.put(marker.get(), ByteBuffer.allocate(8).putLong(1).array());
                    }
                },
                marker.isPresent() ? Durability.DURABLE : Durability.BUFFERED);
        entries.clear();
        return n;
    }
}
