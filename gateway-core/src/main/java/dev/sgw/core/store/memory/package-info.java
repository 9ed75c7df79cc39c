/** An in-memory {@link dev.sgw.core.store.ObjectStore} that follows the contract strictly, for tests. */
package dev.sgw.core.store.memory;
