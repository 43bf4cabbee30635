package io.minutes.providers.cost;

import io.minutes.core.ingest.IngestResult;
import io.minutes.core.ingest.Ingestor;
import io.minutes.providers.llm.TranscriptText;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Not a test: prints how the chars/3.5 approximation compares with OpenAI's exact counts on real
 * transcripts, and how fast o200k_base counts. Run it on files of ../shared/corpus:
 * <pre>
 * ./mvnw -q -o -pl minutes-providers -am test-compile
 * ./mvnw -q -o -pl minutes-providers dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp minutes-providers/target/test-classes:minutes-providers/target/classes:minutes-core/target/classes:$(cat /tmp/cp.txt) \
 *   io.minutes.providers.cost.TokenEstimateFigures ../shared/corpus/txt/*.md ../shared/corpus/vtt/*.vtt
 * </pre>
 */
public final class TokenEstimateFigures {
    private TokenEstimateFigures() {
    }

    public static void main(String[] args) throws Exception {
        TokenCounter o200k = TokenCounter.forModel("gpt-4o");
        TokenCounter cl100k = TokenCounter.forModel("gpt-4");
        TokenCounter approx = TokenCounter.forModel("claude-sonnet-4-5");
        Ingestor ingestor = new Ingestor(Ingestor.DEFAULT_MIN_TRANSCRIPT_CHARS);
        long chars = 0;
        long exact = 0;
        long estimated = 0;
        long nanos = 0;
        for (String file : args) {
            Path path = Path.of(file);
            if (!(ingestor.ingest(path.getFileName().toString(), Files.readAllBytes(path)) instanceof IngestResult.Ready ready)) continue;
            String text = TranscriptText.render(ready.transcript());
            long start = System.nanoTime();
            long o = o200k.count(text);
            nanos += System.nanoTime() - start;
            long a = approx.count(text);
            chars += text.length();
            exact += o;
            estimated += a;
            System.out.printf("%-66s chars %7d  o200k %6d  cl100k %6d  chars/3.5 %6d  ratio %.2f%n",
                    path.getFileName(), text.length(), o, cl100k.count(text), a, (double) a / o);
        }
        System.out.printf("all: chars %d, o200k %d, chars/3.5 %d, ratio %.3f, %.2f chars a token, o200k counts %.1f MB/s%n",
                chars, exact, estimated, (double) estimated / exact, (double) chars / exact, chars / (nanos / 1e9) / 1e6);
    }
}
