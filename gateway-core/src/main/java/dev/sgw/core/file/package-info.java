/**
 * File shares: {@link dev.sgw.core.file.ShareVolume}, the {@link dev.sgw.core.volume.FileVolume} of one
 * share, with its namespace in the metadata store, its content in the cache disk and its bucket behind.
 *
 * <ul>
 *   <li>{@link dev.sgw.core.file.WritebackSource} (with {@link dev.sgw.core.file.WritebackEntry},
 *       {@link dev.sgw.core.file.FileUpload}, {@link dev.sgw.core.file.VersionToUpload}) is the seam the uploader
 *       works through: a journal written in the same batches as the namespace changes, file versions to
 *       upload and calls to record what happened.</li>
 *   <li>{@link dev.sgw.core.file.RemoteChanges} is the seam reverse sync and share import work through.</li>
 * </ul>
 */
package dev.sgw.core.file;
