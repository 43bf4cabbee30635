package io.minutes.store.postgres;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.minutes.core.port.RateLimitBuckets;

import java.util.function.Supplier;

/**
 * {@link RateLimitBuckets} every node shares: Bucket4j's PostgreSQL backend keeps each bucket's
 * state in a row of {@code rate_limit_buckets}, and every consumption is a transaction that locks
 * that row ({@code SELECT ... FOR UPDATE}), so N nodes together take no more tokens than one bucket
 * holds. A consumption is one short transaction on the shared pool.
 */
public final class PostgresRateLimitBuckets implements RateLimitBuckets {
    private final ProxyManager<String> buckets;

    public PostgresRateLimitBuckets(PostgresDatabase database) {
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(database.dataSource())
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_buckets")
                .idColumn("id")
                .stateColumn("state")
                .build();
    }

    @Override
    public Bucket bucket(String key, Supplier<BucketConfiguration> configuration) {
        return buckets.builder().build(key, configuration);
    }
}
