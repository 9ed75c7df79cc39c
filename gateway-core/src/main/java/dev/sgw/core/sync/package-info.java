/**
 * Reverse sync: bringing changes that other tools made in a share's part of the bucket into the share
 * ({@link dev.sgw.core.sync.ReverseSync}), and importing a share over a prefix that already holds objects
 * (its first scan). It speaks to the share only through {@link dev.sgw.core.file.RemoteChanges} and to the
 * bucket only through {@link dev.sgw.core.store.ObjectStore}.
 */
package dev.sgw.core.sync;
