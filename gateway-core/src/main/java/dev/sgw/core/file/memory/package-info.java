/**
 * An in-memory {@link dev.sgw.core.volume.FileVolume} that follows the contract as
 * {@link dev.sgw.core.file.ShareVolume} does, with no metadata store, cache disk or bucket: for protocol unit
 * tests. Entry point: {@link dev.sgw.core.file.memory.MemoryFileVolume}.
 */
package dev.sgw.core.file.memory;
