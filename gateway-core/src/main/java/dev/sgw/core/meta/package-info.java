/**
 * The metadata store: every piece of metadata the gateway keeps, in one RocksDB database.
 *
 * <ul>
 *   <li>{@link dev.sgw.core.meta.MetadataStore} opens the database (column families by role, see
 *       {@link dev.sgw.core.meta.MetaFamily}), reads it, applies atomic updates with an explicit
 *       {@link dev.sgw.core.meta.Durability}, deletes whole volumes, and states the durability promise
 *       the volume layer builds on.</li>
 *   <li>{@link dev.sgw.core.meta.MetaKeys} is the key schema, one table, and the only code that builds
 *       or parses keys. Every key carries its volume id, so many shares and volumes share one database.
 *       </li>
 *   <li>{@link dev.sgw.core.meta.MetaScan} and {@link dev.sgw.core.meta.MetaSnapshot} read ranges in
 *       key order, resumable with {@link dev.sgw.core.meta.KeyRange#resumeAfter}.</li>
 *   <li>{@link dev.sgw.core.meta.IdAllocator} hands out inode and sequence numbers that are never
 *       reused across crashes.</li>
 * </ul>
 *
 * <p>Values are opaque bytes here; the namespace and journal built on top define their
 * encodings. Nothing outside this package touches RocksDB, and every failure below the API surfaces as
 * {@link dev.sgw.core.meta.MetadataStoreException}.
 */
package dev.sgw.core.meta;
