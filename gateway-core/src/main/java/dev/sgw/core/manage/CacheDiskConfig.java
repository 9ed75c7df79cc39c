package dev.sgw.core.manage;

import java.nio.file.Path;

/**
 * A local directory the gateway keeps cached and dirty chunks in, shared by the shares and volumes that
 * name it (opened at run time as a {@link dev.sgw.core.cachedisk.CacheDisk}).
 *
 * @param name          unique name ({@link FieldRules#NAME})
 * @param directory     an absolute path, not used by another cache disk
 * @param capacityBytes at least 64 MiB
 * @param chunkSize     a power of two from 64 KiB to 64 MiB (1 MiB by default); the largest chunk a volume
 *                      on this disk may use
 */
public record CacheDiskConfig(String name, Path directory, long capacityBytes, int chunkSize) {

    public static final long MIN_CAPACITY = 64 * FieldRules.MIB;
    public static final int DEFAULT_CHUNK_SIZE = FieldRules.DEFAULT_CHUNK;

    public CacheDiskConfig {
        String entity = "cache disk '" + FieldRules.printable(String.valueOf(name)) + "'";
        FieldRules.matches(entity, "name", name, FieldRules.NAME, FieldRules.NAME_RULE);
        FieldRules.required(entity, "directory", directory);
        if (!directory.isAbsolute()) {
            throw FieldRules.invalid(entity, "directory", "must be an absolute path, got '" + directory + "'");
        }
        directory = directory.normalize();
        FieldRules.range(
                entity,
                "capacityBytes",
                capacityBytes,
                MIN_CAPACITY,
                Long.MAX_VALUE,
                "must be at least 64 MiB (67108864)");
        FieldRules.chunkSize(entity, "chunkSize", chunkSize);
    }

    /** A cache disk with 1 MiB chunks. */
    public static CacheDiskConfig of(String name, Path directory, long capacityBytes) {
        return new CacheDiskConfig(name, directory, capacityBytes, DEFAULT_CHUNK_SIZE);
    }
}
