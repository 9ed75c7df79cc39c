/**
 * The background uploader of a file share: {@link dev.sgw.core.file.writeback.ShareUploader} reads the
 * share's write-back journal ({@link dev.sgw.core.file.WritebackSource}), orders its entries by path and
 * inode, waits for files to be quiet for the share's upload delay, and applies them to the bucket with
 * {@link dev.sgw.core.file.upload.FileObjectWriter} and {@link dev.sgw.core.file.upload.BucketMoves},
 * retrying through bucket outages; it is the share's {@link dev.sgw.core.volume.BucketSync}.
 */
package dev.sgw.core.file.writeback;
