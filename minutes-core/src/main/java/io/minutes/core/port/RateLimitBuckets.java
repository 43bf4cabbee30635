package io.minutes.core.port;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;

import java.util.function.Supplier;

/**
 * Where the token buckets of the rate limits live: in this process (one node), or in a store every
 * node shares (PostgreSQL, through Bucket4j's backend), so that many nodes together stay under one
 * provider limit. The same key always gives the same bucket.
 */
public interface RateLimitBuckets {

    /**
     * The bucket called {@code key}; {@code configuration} is asked for when the bucket does not exist
     * yet. Replace a bucket's configuration with {@link Bucket#replaceConfiguration}.
     */
    Bucket bucket(String key, Supplier<BucketConfiguration> configuration);
}
