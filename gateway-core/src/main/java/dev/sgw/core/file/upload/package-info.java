/**
 * Puts files of a file share into the bucket, one object per file, never torn: {@link
 * dev.sgw.core.file.upload.FileObjectWriter} writes one version of a file (a single put, or a multipart
 * upload that copies unchanged parts server-side) on a precondition, and writes a conflict copy when
 * another writer changed the object; {@link dev.sgw.core.file.upload.BucketMoves} renames and removes
 * objects idempotently; {@link dev.sgw.core.file.upload.StaleUploadSweeper} aborts multipart uploads left
 * behind by a crash.
 *
 * <p>This package knows objects, keys and chunks of bytes only: the namespace side (RocksDB, the cache
 * disk) decides what to upload and hands over a {@link dev.sgw.core.file.upload.FileObject}.
 */
package dev.sgw.core.file.upload;
