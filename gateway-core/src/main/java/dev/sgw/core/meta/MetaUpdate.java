package dev.sgw.core.meta;

/**
 * Fills the batch of one atomic update; see {@link MetadataStore#update(MetaUpdate, Durability)}.
 * If it throws, nothing of the batch is written.
 *
 * @param <X> what the filling may throw besides {@link MetadataStoreException} (for example the
 *            volume layer's own error when a precondition read inside the update fails); inferred as
 *            {@link RuntimeException} for a lambda that throws nothing checked
 */
@FunctionalInterface
public interface MetaUpdate<X extends Exception> {
    void fill(MetaBatch batch) throws X, MetadataStoreException;
}
