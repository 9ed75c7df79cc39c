/**
 * Permissions, checked once for every file protocol: {@link dev.sgw.core.access.CallerMapping} turns the ids
 * a protocol received into the caller a share sees (squashing), and {@link dev.sgw.core.access.CheckedFileVolume}
 * is the {@link dev.sgw.core.volume.FileVolume} that caller may use (mode bits, owner and root rules, read-only
 * exports), failing with {@link dev.sgw.core.volume.VolumeError#ACCES}, {@code PERM} or {@code ROFS}.
 */
package dev.sgw.core.access;
