/**
 * The object-store seam: {@link dev.sgw.core.store.ObjectStore}, its value types, its one exception type,
 * CRC64-ECMA, and the decorators that wrap any store (prefix, retries, metrics, throttle). Backends live
 * in sub-packages: {@code memory}, {@code s3} (AWS SDK v2, also for MinIO, Ceph and OSS's S3 endpoint) and
 * {@code oss} (Alibaba's SDK).
 */
package dev.sgw.core.store;
