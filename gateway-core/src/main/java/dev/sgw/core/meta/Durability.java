package dev.sgw.core.meta;

/**
 * How durable a metadata update is when {@link MetadataStore#update} returns.
 *
 * <p>Both levels write the update to RocksDB's write-ahead log as one record before returning, so an
 * update is atomic (all of its keys or none) after any crash, and both survive {@code kill -9} of the
 * gateway process (the log record is in the operating system's page cache). They differ only on a
 * power loss or kernel crash:
 *
 * <table>
 *   <caption>What survives</caption>
 *   <tr><th>level</th><th>process killed</th><th>power loss / kernel crash</th></tr>
 *   <tr><td>{@link #DURABLE}</td><td>kept</td><td>kept (the log was fsynced before return)</td></tr>
 *   <tr><td>{@link #BUFFERED}</td><td>kept</td><td>may be lost, together with every later update;
 *       never torn</td></tr>
 * </table>
 *
 * <p>{@link MetadataStore#sync()} makes every earlier BUFFERED update durable, like an NFS COMMIT after
 * UNSTABLE writes.
 */
public enum Durability {
    /** The write-ahead log record is fsynced before the update returns. */
    DURABLE,
    /** The write-ahead log record is written but not fsynced. */
    BUFFERED
}
