/**
 * The S3 backend of the object-store seam: {@link dev.sgw.core.store.s3.S3ObjectStore} on the AWS SDK v2,
 * for AWS S3 and S3-compatible stores (MinIO, Ceph RGW, OSS's S3 endpoint), configured by
 * {@link dev.sgw.core.store.s3.S3StoreConfig}. The AWS SDK is used in this package and nowhere else.
 */
package dev.sgw.core.store.s3;
