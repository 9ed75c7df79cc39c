/**
 * Block volumes for the iSCSI target: {@link dev.sgw.core.block.ChunkedBlockVolume} keeps a volume's LBA
 * space as fixed-size chunk objects in the bucket, through the shared cache disk (sync and cache mode,
 * with a write-back uploader) or straight to the bucket (write-through mode).
 */
package dev.sgw.core.block;
