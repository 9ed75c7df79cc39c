package dev.sgw.core.volume;

/**
 * Space and file counts of a volume ({@code statfs}). Capacity is the share's configured capacity
 * (a bucket has no limit of its own).
 *
 * @param totalBytes     capacity
 * @param freeBytes      capacity minus the bytes the share's files hold
 * @param totalFiles     the most files the share may hold
 * @param freeFiles      files that may still be created
 * @param maxNameBytes   longest name in UTF-8 bytes
 * @param maxFileBytes   largest file
 */
public record FsStats(
        long totalBytes, long freeBytes, long totalFiles, long freeFiles, int maxNameBytes, long maxFileBytes) {}
