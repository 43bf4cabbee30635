package io.minutes.store.postgres;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Buckets of the same name on two nodes (two pools, as two processes would have) share one allowance. */
class PostgresRateLimitBucketsTest {

    private static final int CAPACITY = 50;
    // refills one token a day: within the test the allowance is exactly the capacity
    private static final Supplier<BucketConfiguration> FIFTY_A_DAY = () -> BucketConfiguration.builder()
            .addLimit(Bandwidth.builder().capacity(CAPACITY).refillGreedy(CAPACITY, Duration.ofDays(CAPACITY)).build())
            .build();

    private TestPostgres.Schema schema;
    private PostgresDatabase nodeA;
    private PostgresDatabase nodeB;

    @BeforeEach
    void twoNodes() {
        schema = TestPostgres.newSchema();
        nodeA = PostgresDatabase.open(schema.url(), 4);
        nodeB = PostgresDatabase.open(schema.url(), 4);
    }

    @AfterEach
    void close() {
        nodeA.close();
        nodeB.close();
        schema.close();
    }

    @Test
    void twoNodesConsumingAtOnceTogetherGetExactlyTheCapacity() throws Exception {
        List<Bucket> buckets = List.of(
                new PostgresRateLimitBuckets(nodeA).bucket("openai:rpm", FIFTY_A_DAY),
                new PostgresRateLimitBuckets(nodeB).bucket("openai:rpm", FIFTY_A_DAY));
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Integer>> consumers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Bucket bucket = buckets.get(i % 2);
            consumers.add(() -> {
                start.await();
                int granted = 0;
                for (int call = 0; call < 20; call++) if (bucket.tryConsume(1)) granted++;
                return granted;
            });
        }
        int granted = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(consumers.size())) {
            List<Future<Integer>> results = consumers.stream().map(pool::submit).toList();
            start.countDown();
            for (Future<Integer> result : results) granted += result.get(60, TimeUnit.SECONDS);
        }

        assertThat(granted).as("160 tries on two nodes against one bucket of %d", CAPACITY).isEqualTo(CAPACITY);
        assertThat(buckets.get(0).getAvailableTokens()).isZero();
    }

    @Test
    void bucketsOfOtherNamesAreSeparate() {
        PostgresRateLimitBuckets onA = new PostgresRateLimitBuckets(nodeA);
        Bucket rpm = onA.bucket("sim:rpm", FIFTY_A_DAY);
        Bucket tpm = new PostgresRateLimitBuckets(nodeB).bucket("sim:tpm", FIFTY_A_DAY);

        assertThat(rpm.tryConsume(CAPACITY)).isTrue();

        assertThat(tpm.getAvailableTokens()).isEqualTo(CAPACITY);
        assertThat(onA.bucket("sim:rpm", FIFTY_A_DAY).getAvailableTokens()).as("same name, same bucket").isZero();
    }
}
