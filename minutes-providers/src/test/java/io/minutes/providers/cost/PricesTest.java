package io.minutes.providers.cost;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PricesTest {

    @Test
    void datedAndPrefixedNamesTakeTheirFamilysPrice() {
        Prices p = Prices.builtIn();
        assertThat(p.find("gpt-4o-2024-08-06")).contains(Prices.Price.tokens(2.50, 10.00));
        assertThat(p.find("gpt-4o-mini-2024-07-18")).contains(Prices.Price.tokens(0.15, 0.60));
        assertThat(p.find("openai/gpt-4.1-mini")).contains(Prices.Price.tokens(0.40, 1.60));
        assertThat(p.find("claude-sonnet-4-5-20250929")).contains(Prices.Price.tokens(3.00, 15.00));
        assertThat(p.find("claude-opus-4-5-20251101")).contains(Prices.Price.tokens(5.00, 25.00));
        assertThat(p.find("claude-opus-4-20250514")).contains(Prices.Price.tokens(15.00, 75.00));
        assertThat(p.find("llama3.1:8b")).isEmpty();
    }

    @Test
    void costOfTokensAndAudio() {
        Prices p = Prices.builtIn();
        assertThat(p.tokensCost("gpt-4o", 1_000_000, 500_000)).isCloseTo(2.50 + 5.00, within(1e-9));
        assertThat(p.audioCost("whisper-1", 30)).isCloseTo(0.18, within(1e-9));
        assertThat(p.tokensCost("my-local-model", 1_000_000, 1_000_000)).as("unknown costs 0").isZero();
    }

    @Test
    void userEntriesOverrideAndExtendTheTable() {
        Prices p = Prices.parse(" gpt-4o = 1/2 , my-llama=0.1/0.2,whisper-large=0.001/min");
        assertThat(p.find("gpt-4o")).contains(Prices.Price.tokens(1, 2));
        assertThat(p.find("my-llama-3")).contains(Prices.Price.tokens(0.1, 0.2));
        assertThat(p.find("whisper-large")).contains(Prices.Price.audio(0.001));
        assertThat(p.find("gpt-4o-mini")).as("the rest of the table stays").contains(Prices.Price.tokens(0.15, 0.60));
        assertThat(Prices.parse("built-in").find("gpt-5")).isPresent();
    }

    @Test
    void aBadEntryIsNamedWithTheExpectedForm() {
        assertThatThrownBy(() -> Prices.parse("gpt-4o=2.5/10,claude=cheap"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'claude=cheap'").hasMessageContaining("MODEL=IN/OUT");
        assertThatThrownBy(() -> Prices.parse("gpt-4o=-1/2")).hasMessageContaining("'gpt-4o=-1/2'");
        assertThatThrownBy(() -> Prices.parse("=1/2")).hasMessageContaining("MODEL=IN/OUT");
    }

    @Test
    void batchAndFlexCostHalfTheListPriceUnlessAnEntrySaysOtherwise() {
        Prices p = Prices.builtIn();
        assertThat(p.atLane(Prices.Lane.BATCH).tokensCost("gpt-4o-mini", 1_000_000, 1_000_000)).isCloseTo((0.15 + 0.60) / 2, within(1e-9));
        assertThat(p.atLane(Prices.Lane.FLEX).tokensCost("o3", 1_000_000, 0)).isCloseTo(1.00, within(1e-9));
        assertThat(p.atLane(Prices.Lane.BATCH).tokensCost("claude-sonnet-4-5", 0, 1_000_000)).isCloseTo(7.50, within(1e-9));
        assertThat(p.tokensCost("gpt-4o-mini", 1_000_000, 1_000_000)).as("realtime stays the list price").isCloseTo(0.75, within(1e-9));

        Prices custom = Prices.parse("batch:gpt-4o-mini=0.1/0.2, flex:o3=0.9/3");
        assertThat(custom.atLane(Prices.Lane.BATCH).tokensCost("gpt-4o-mini-2024-07-18", 1_000_000, 1_000_000)).isCloseTo(0.30, within(1e-9));
        assertThat(custom.atLane(Prices.Lane.FLEX).tokensCost("o3", 1_000_000, 1_000_000)).isCloseTo(3.90, within(1e-9));
        assertThat(custom.atLane(Prices.Lane.FLEX).tokensCost("gpt-4o-mini", 1_000_000, 0)).as("no flex entry: half").isCloseTo(0.075, within(1e-9));
    }

    @Test
    void cachedInputTokensCostTheCachedPriceWithTheLanesDiscountOnTop() {
        Prices p = Prices.builtIn();
        // gpt-4o: 2.50 input, 1.25 cached: half a million of each
        assertThat(p.tokensCost("gpt-4o", 1_000_000, 500_000, 0)).isCloseTo(1.25 + 0.625, within(1e-9));
        assertThat(p.atLane(Prices.Lane.BATCH).tokensCost("gpt-4o", 1_000_000, 500_000, 0)).isCloseTo((1.25 + 0.625) / 2, within(1e-9));
        // Anthropic cache reads at a tenth of the input price
        assertThat(p.tokensCost("claude-sonnet-4-5", 1_000_000, 1_000_000, 0)).isCloseTo(0.30, within(1e-9));
        assertThat(Prices.parse("cached:gpt-4o=2").tokensCost("gpt-4o", 1_000_000, 1_000_000, 0))
                .as("an entry for cached input; never dearer than input").isCloseTo(2.00, within(1e-9));
    }

    @Test
    void cacheWritesCostAQuarterMoreThanInputAtAnthropicAndHalfThatInABatch() {
        Prices p = Prices.builtIn();
        // claude-sonnet-4-5: 3.00 input, 0.30 cache read, 3.75 cache write (5-minute cache), per million
        assertThat(p.tokensCost("claude-sonnet-4-5", new Prices.Tokens(1_000_000, 0, 1_000_000, 0))).isCloseTo(3.75, within(1e-9));
        assertThat(p.atLane(Prices.Lane.BATCH).tokensCost("claude-sonnet-4-5-20250929", new Prices.Tokens(1_000_000, 0, 1_000_000, 0)))
                .as("the batch discount on top").isCloseTo(1.875, within(1e-9));
        assertThat(p.tokensCost("claude-sonnet-4-5", new Prices.Tokens(1_000_000, 200_000, 300_000, 100_000)))
                .as("plain input, reads, writes and output each at their rate")
                .isCloseTo(0.5 * 3.00 + 0.2 * 0.30 + 0.3 * 3.75 + 0.1 * 15.00, within(1e-9));
        assertThat(p.tokensCost("gpt-4o", new Prices.Tokens(1_000_000, 0, 1_000_000, 0)))
                .as("OpenAI charges nothing more for a cache write").isCloseTo(2.50, within(1e-9));
        assertThat(p.tokensCost("claude-haiku-4-5", 1_000_000, 0, 0)).as("no cache: the input price").isCloseTo(1.00, within(1e-9));
    }

    @Test
    void theCacheWritePriceFollowsAnEntryOrTheModelsOwnInputPrice() {
        Prices entry = Prices.parse("cache-write:claude-sonnet-4-5=5");
        assertThat(entry.tokensCost("claude-sonnet-4-5", new Prices.Tokens(1_000_000, 0, 1_000_000, 0))).isCloseTo(5.00, within(1e-9));
        assertThat(entry.atLane(Prices.Lane.BATCH).tokensCost("claude-sonnet-4-5", new Prices.Tokens(1_000_000, 0, 1_000_000, 0)))
                .isCloseTo(2.50, within(1e-9));
        Prices ownInput = Prices.parse("claude-haiku-4-5=2/10");
        assertThat(ownInput.tokensCost("claude-haiku-4-5", new Prices.Tokens(1_000_000, 0, 1_000_000, 0)))
                .as("1.25 times the input price the table holds").isCloseTo(2.50, within(1e-9));
        assertThatThrownBy(() -> Prices.parse("cache-write:claude-haiku-4-5=1/2")).hasMessageContaining("'cache-write:claude-haiku-4-5=1/2'")
                .hasMessageContaining("cache-write:MODEL=IN");
    }

    @Test
    void aBadLaneEntryIsNamed() {
        assertThatThrownBy(() -> Prices.parse("batch:gpt-4o=half")).hasMessageContaining("'batch:gpt-4o=half'")
                .hasMessageContaining("batch:MODEL=IN/OUT");
        assertThatThrownBy(() -> Prices.parse("cached:gpt-4o=1/2")).hasMessageContaining("cached:MODEL=IN");
    }
}
