package io.minutes.server;

import io.minutes.core.testing.OutsidePrograms;
import io.minutes.core.testing.TestCorpus;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.MethodOrderer;
import io.minutes.core.port.ApiKeyStore;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web UI in real headless Chromium against a real service: upload three corpus files and a ZIP,
 * watch the batch finish, open a meeting and read its action items. Screenshots of every page go to
 * target/screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiBrowserTest {
    private static final Path SHOTS = Path.of("target", "screenshots");

    /** Held, so the level sticks: Selenium warns on every start that Debian's Chromium is newer than its DevTools bindings, which this test does not use. */
    private static final java.util.logging.Logger CDP_VERSION_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    @TempDir
    static Path dir;
    static TestService service;
    static WebDriver driver;

    @BeforeAll
    static void start() throws IOException {
        OutsidePrograms.assumeInstalled("chromium", "chromedriver");
        CDP_VERSION_LOG.setLevel(java.util.logging.Level.SEVERE);
        service = new TestService(dir);
        Files.createDirectories(SHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(OutsidePrograms.find("chromium").toString());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--user-data-dir=" + Files.createDirectories(dir.resolve("chrome-profile")),
                "--window-size=1280,900");
        options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL")); // to see what the CSP refused
        ChromeDriverService driverService = new ChromeDriverService.Builder()
                .usingDriverExecutable(OutsidePrograms.find("chromedriver").toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(driverService, options);
    }

    @AfterAll
    static void stop() {
        if (driver != null) driver.quit();
        if (service != null) service.close();
    }

    @Test
    @Order(1)
    void uploadWatchAndReadMinutes() throws Exception {
        Path zip = dir.resolve("more-meetings.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (String name : List.of("vtt/cdp-backend__brief_080221_2012161.vtt", "vtt/webvtt-py__teams_timeframe.vtt")) {
                z.putNextEntry(new ZipEntry(Path.of(name).getFileName().toString()));
                z.write(Files.readAllBytes(TestCorpus.file(name)));
                z.closeEntry();
            }
        }
        // files shipped in testdata/corpus, so a fresh clone runs this too; the SubRip file is a real caption file written as SRT
        Path captions = TestCorpus.file("vtt/cdp-backend__oakland_captions.vtt");
        var ingested = (io.minutes.core.ingest.IngestResult.Ready) new io.minutes.core.ingest.Ingestor(0)
                .ingest(captions.getFileName().toString(), Files.readAllBytes(captions));
        Path srt = Files.writeString(dir.resolve("oakland-council.srt"), io.minutes.core.ingest.TranscriptWriter.write(
                ingested.transcript(), ingested.title(), io.minutes.core.ingest.TranscriptWriter.Target.SRT));
        List<Path> files = List.of(TestCorpus.file("vtt/ethereum-pm__acdc-175_2026-02-19__transcript.vtt"),
                TestCorpus.file("txt/ethereum-pm__AllCoreDevs-EL-meeting-100.md"), srt, zip);

        driver.get(service.base + "/");
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#batches tbody td")));
        assertThat(driver.findElement(By.id("batches")).getText()).contains("No batches yet");
        shot("1-batches-empty");

        driver.findElement(By.cssSelector("a[href='#/new'].button")).click();
        WebElement input = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("file-input")));
        input.sendKeys(String.join("\n", files.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList()));
        List<WebElement> queued = driver.findElements(By.cssSelector("#queue tbody tr"));
        assertThat(queued).hasSize(4);
        assertThat(driver.findElement(By.id("queue")).getText())
                .contains("ethereum-pm__acdc-175_2026-02-19__transcript.vtt", "WebVTT captions", "ZIP archive", "SubRip captions");
        assertThat(driver.findElement(By.id("process-all")).getText()).isEqualTo("Process all (4)");
        shot("2-new-batch-queue");

        driver.findElement(By.id("process-all")).click();
        wait.until(ExpectedConditions.urlMatches("#/batch/[^/]+$"));
        String batchId = driver.getCurrentUrl().replaceAll(".*#/batch/", "");
        try {
            // the page re-renders its rows as events arrive: an element found just before that is stale, not wrong
            new WebDriverWait(driver, Duration.ofSeconds(120)).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d ->
                    d.findElements(By.cssSelector("#meetings tbody tr")).size() == 5
                            && d.findElements(By.cssSelector("#meetings tbody tr[data-status=queued], #meetings tbody tr[data-status=running]")).isEmpty()
                            && d.findElement(By.id("progress-text")).getText().startsWith("5 of 5 finished"));
        } catch (org.openqa.selenium.TimeoutException e) {
            shot("failed-batch");
            throw new AssertionError("the batch page did not show the finished batch; it shows:\n"
                    + driver.findElement(By.tagName("main")).getText() + "\nAPI: " + service.get("/api/v1/meetings/batch/" + batchId).body(), e);
        }
        JsonNode status = service.get("/api/v1/meetings/batch/" + batchId).json();
        assertThat(status.get("total").asInt()).isEqualTo(5);
        assertThat(status.get("queued").asInt() + status.get("processing").asInt()).isZero();
        assertThat(drawnText(By.id("overview"))).contains("5 of 5 finished · 100%");
        // batches made within minutes share their id's first characters: the page names the batch and shows the whole id
        assertThat(drawnText(By.id("batch-name"))).startsWith(status.get("results").get(0).get("title").asText())
                .contains("and 4 more");
        assertThat(drawnText(By.id("batch-id"))).isEqualTo(batchId);
        assertThat(driver.getTitle()).contains("and 4 more");
        assertThat(driver.findElements(By.cssSelector("#chart .uplot"))).as("the throughput chart is drawn").hasSize(1);
        for (JsonNode r : status.get("results")) {
            // the table is drawn again when the last events arrive ("done"): read each row as drawn last
            By row = By.cssSelector("#meetings tr[data-meeting='" + r.get("meeting_id").asText() + "']");
            String shown = new WebDriverWait(driver, Duration.ofSeconds(10))
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> d.findElement(row).getAttribute("data-status"));
            assertThat(shown).isEqualTo(r.get("status").asText());
        }
        shot("3-batch-finished");

        // the meeting with the most action items, read from the API, must show them all in its table
        JsonNode best = null;
        int most = 0;
        for (JsonNode r : status.get("results")) {
            JsonNode m = service.get("/api/v1/meetings/" + r.get("meeting_id").asText()).json();
            int n = m.path("analysis").path("action_items").size();
            if (n > most) {
                most = n;
                best = m;
            }
        }
        assertThat(best).as("some corpus meeting has action items").isNotNull();
        driver.findElement(By.cssSelector("#meetings a[href='#/meeting/" + best.get("meeting_id").asText() + "']")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("action-items")));
        List<WebElement> rows = driver.findElements(By.cssSelector("#action-items tbody tr"));
        assertThat(rows).hasSize(most);
        List<String> shown = new ArrayList<>();
        for (WebElement row : rows) shown.add(row.findElements(By.tagName("td")).getFirst().getText());
        List<String> expected = new ArrayList<>();
        for (JsonNode item : best.get("analysis").get("action_items")) expected.add(item.get("description").asText().strip());
        assertThat(shown).containsExactlyElementsOf(expected);
        JsonNode first = best.get("analysis").get("action_items").get(0);
        String owner = rows.getFirst().findElements(By.tagName("td")).get(1).getText();
        assertThat(owner).isEqualTo(first.get("owner").isNull() ? "unassigned" : first.get("owner").asText());
        assertThat(driver.findElement(By.id("summary")).getText()).isEqualTo(best.get("analysis").get("summary").asText().strip());
        assertThat(driver.findElements(By.cssSelector("#talk-time .fill"))).hasSize(best.get("analysis").get("participants").size());
        assertThat(driver.findElement(By.cssSelector("main .sub")).getText()).as("the template and the language are shown")
                .contains("template " + best.get("analysis").get("template").asText())
                .contains("language " + best.get("analysis").get("language").asText());
        shot("4-meeting-minutes");

        // each item links to where it was said: its evidence link opens the transcript tab at that segment
        int segment = first.get("evidence").get("segment").asInt();
        WebElement link = rows.getFirst().findElement(By.cssSelector(".evidence-link"));
        assertThat(link.getText()).endsWith("#" + segment);
        link.click();
        assertThat(driver.findElement(By.id("transcript")).isDisplayed()).isTrue();
        WebElement said = driver.findElement(By.id("seg-" + segment));
        assertThat(said.isDisplayed()).isTrue();
        assertThat(said.getAttribute("class")).contains("hit");
        assertThat(said.getText()).contains(first.get("evidence").get("speaker").asText(""));
        shot("5-meeting-transcript");

        driver.get(service.base + "/#/");
        WebElement listed = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#batches tr[data-batch='" + batchId + "']")));
        assertThat(listed.getText()).contains(status.get("results").get(0).get("title").asText() + " and 4 more", batchId);
        shot("6-batches");

        driver.manage().window().setSize(new Dimension(390, 844));
        driver.get(service.base + "/#/");
        // seen: on a phone the batch list was cut off after the Progress column
        WebElement meetingsCell = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#batches tr[data-batch='" + batchId + "'] .meetings-cell")));
        long viewport = (Long) ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("return document.documentElement.clientWidth");
        shot("6b-batches-phone");
        assertThat(meetingsCell.getRect().getX() + meetingsCell.getRect().getWidth()).as("the Meetings column is on screen").isLessThanOrEqualTo((int) viewport);
        driver.get(service.base + "/#/batch/" + batchId);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("progress-text")));
        shot("7-batch-phone");
        driver.manage().window().setSize(new Dimension(1280, 900));
        assertThat(driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll())
                .as("nothing the page does is refused by its Content-Security-Policy")
                .noneMatch(entry -> entry.getMessage().contains("Content Security Policy"));
    }

    /**
     * Seen: with no API keys, a page of another origin open in the same browser created batches through
     * fetch(no-cors, text/plain) and a FormData upload (CSRF). The attacker's page is served by a second
     * local server, once from the same host on another port (same-site) and once from localhost (cross-site).
     */
    /**
     * A stand-up submitted with its date, in the stand-up template: its page shows the date, the template and the
     * language, an owner nobody can be sure of as unassigned (a line of the transcript without a speaker), the due date
     * counted from the meeting's date, the template's sections person by person, and evidence links that open the
     * transcript tab at the place said.
     */
    @Test
    @Order(2)
    void aMeetingPageShowsItsTemplateLanguageDateSectionsAndUnassignedOwners() throws Exception {
        String transcript = TestService.JSON.writeValueAsString(java.util.Map.of("segments", List.of(
                java.util.Map.of("speaker", "Ana Silva", "start", 0, "text",
                        "Yesterday I finished the login page and merged it. Today I'm working on the password reset. No blockers."),
                java.util.Map.of("speaker", "Ben Okoro", "start", 14, "text",
                        "I reviewed two pull requests yesterday. I will write the sprint report by Friday. I'm blocked on the staging database."),
                java.util.Map.of("start", 31, "text", "I will order the new badges for the team by Monday."),
                java.util.Map.of("speaker", "Cem Arslan", "start", 40, "text",
                        "I fixed the flaky export test yesterday. Next I pick up the billing ticket."))));
        JsonNode accepted = service.post("/api/v1/meetings/batch", TestService.JSON.writeValueAsString(java.util.Map.of(
                "meetings", List.of(java.util.Map.of("title", "Team stand-up", "date", "2026-11-18", "transcript", transcript)),
                "options", java.util.Map.of("template", "stand-up")))).json();
        String batchId = accepted.get("batch_id").asText();
        JsonNode status = await().atMost(Duration.ofSeconds(60)).until(() -> service.get("/api/v1/meetings/batch/" + batchId).json(),
                b -> b.get("status").asText().equals("completed"));
        String meetingId = status.get("results").get(0).get("meeting_id").asText();
        JsonNode m = service.get("/api/v1/meetings/" + meetingId).json();
        JsonNode a = m.get("analysis");
        JsonNode items = a.get("action_items");
        int unassigned = -1;
        int dated = -1;
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).get("owner").isNull()) unassigned = i;
            if (!items.get(i).get("due_date").isNull()) dated = i;
        }
        assertThat(unassigned).as("the badges, said by nobody named: %s", items).isNotNegative();
        assertThat(dated).as("a due date counted from the meeting's date: %s", items).isNotNegative();
        assertThat(a.get("sections")).as("the stand-up's round").isNotEmpty();

        driver.get(service.base + "/#/meeting/" + meetingId);
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("action-items")));
        assertThat(driver.findElement(By.cssSelector("main .sub")).getText())
                .contains("held 2026-11-18", "template stand-up", "language " + a.get("language").asText());
        List<WebElement> rows = driver.findElements(By.cssSelector("#action-items tbody tr"));
        assertThat(rows).hasSize(items.size());
        WebElement nobody = rows.get(unassigned).findElement(By.cssSelector("td.owner"));
        assertThat(nobody.getText()).isEqualTo("unassigned");
        assertThat(nobody.findElements(By.cssSelector(".unassigned"))).as("drawn as unassigned, not as a name").hasSize(1);
        assertThat(rows.get(dated).findElements(By.tagName("td")).get(2).getText())
                .isEqualTo(items.get(dated).get("due").asText() + " (" + items.get(dated).get("due_date").asText() + ")");
        List<String> sectionNames = new ArrayList<>();
        for (WebElement h2 : driver.findElements(By.cssSelector("#template-sections section h2"))) sectionNames.add(h2.getText());
        List<String> expectedSections = new ArrayList<>();
        a.get("sections").forEach(section -> expectedSections.add(section.get("name").asText()));
        assertThat(sectionNames).containsExactlyElementsOf(expectedSections);
        assertThat(driver.findElement(By.id("template-sections")).getText())
                .contains(a.get("sections").get(0).get("items").get(0).asText());
        shot("4b-stand-up-minutes");

        int segment = items.get(unassigned).get("evidence").get("segment").asInt();
        WebElement link = rows.get(unassigned).findElement(By.cssSelector(".evidence-link"));
        assertThat(link.getText()).endsWith("#" + segment);
        link.click();
        WebElement said = driver.findElement(By.id("seg-" + segment));
        assertThat(said.isDisplayed()).isTrue();
        assertThat(said.getAttribute("class")).contains("hit");
        assertThat(said.getText()).contains("order the new badges");
        shot("4c-stand-up-transcript");
    }

    @Test
    @Order(3)
    void aPageOfAnotherOriginCreatedBatchesThroughTheBrowser() throws Exception {
        int before = service.get("/api/v1/meetings/batch").json().get("batches").size();
        String json = TestService.batchOf("Planted by another site");
        String page = "<!doctype html><title>loading</title><script>\n"
                + "const target = '" + service.base + "/api/v1/meetings/batch';\n"
                + "const form = new FormData();\n"
                + "form.append('files', new Blob([" + TestService.JSON.writeValueAsString(TestService.transcriptAbout("planted upload")) + "]), 'planted.txt');\n"
                + "Promise.allSettled([\n"
                + "  fetch(target, {method: 'POST', mode: 'no-cors', headers: {'Content-Type': 'text/plain'}, body: " + TestService.JSON.writeValueAsString(json) + "}),\n"
                + "  fetch(target + '/upload', {method: 'POST', mode: 'no-cors', body: form}),\n"
                + "]).then(r => { document.body.textContent = r.map(x => x.reason || 'ok').join('; ');"
                + " document.title = 'sent ' + r.filter(x => x.status === 'fulfilled').length; });\n"
                + "</script>";
        var attacker = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        attacker.createContext("/", exchange -> {
            byte[] body = page.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        attacker.start();
        try {
            for (String host : List.of("127.0.0.1", "localhost")) {
                driver.get("http://" + host + ":" + attacker.getAddress().getPort() + "/");
                new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> d.getTitle().startsWith("sent"));
                // the service answered both: the page got the (opaque) answer, or the browser withheld it from the
                // page because of the answer's Cross-Origin-Resource-Policy header
                int fulfilled = Integer.parseInt(driver.getTitle().substring(5));
                var logs = driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll();
                long withheld = logs.stream().filter(e -> e.getMessage().contains("ERR_BLOCKED_BY_RESPONSE")).count();
                assertThat(fulfilled + withheld).as("both requests reached the service from %s: %s %s", host,
                        driver.findElement(By.tagName("body")).getText(), logs).isEqualTo(2);
            }
        } finally {
            attacker.stop(0);
        }

        assertThat(service.get("/api/v1/meetings/batch").json().get("batches")).as("no batch was created").hasSize(before);
    }

    @Test
    @Order(4)
    void tellsWhyAnUploadWasRefusedAndKeepsTheQueue(@TempDir Path other) throws Exception {
        try (TestService small = new TestService(other, 1_000, 4_000, 10_000, Duration.ofSeconds(30))) {
            driver.get(small.base + "/#/new");
            WebElement input = new WebDriverWait(driver, Duration.ofSeconds(30))
                    .until(ExpectedConditions.presenceOfElementLocated(By.id("file-input")));
            input.sendKeys(TestCorpus.file("vtt/ethereum-pm__acdc-175_2026-02-19__transcript.vtt").toString());
            driver.findElement(By.id("process-all")).click();
            WebElement alert = new WebDriverWait(driver, Duration.ofSeconds(30))
                    .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#submit-status .alert")));
            assertThat(alert.getText()).contains("The upload is too large", "4000 bytes", "Split the files");
            assertThat(driver.findElements(By.cssSelector("#queue tbody tr"))).as("the queue is kept").hasSize(1);
            assertThat(small.get("/api/v1/meetings/batch").json().get("batches")).isEmpty();
            shot("9-upload-too-large");
        }
    }

    @Test
    @Order(5) // keys on: after this, every request of the service needs one
    void asksForTheApiKeyAndKeepsItForTheTab() throws Exception {
        String key = ApiKeys.generate();
        service.store.apiKeyCreate(new ApiKeyStore.ApiKeyCreateParams("acme", ApiKeys.hash(key), Instant.now()));
        await().atMost(Duration.ofSeconds(10)).until(() -> service.get("/api/v1/capacity").status() == 401);

        driver.get(service.base + "/#/");
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key-dialog")));
        assertThat(dialog.getText()).contains("This service needs an API key", "session storage");
        shot("8-key-prompt");
        driver.findElement(By.id("key-input")).sendKeys(key);
        driver.findElement(By.id("key-save")).click();
        // the batches the earlier tests submitted without a key belong to the first key's tenant (README, API keys)
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("batches"), "Completed"));
        assertThat(driver.findElement(By.id("batches")).getText()).doesNotContain("No batches yet");
        assertThat(((org.openqa.selenium.JavascriptExecutor) driver).executeScript("return sessionStorage.getItem('minutes.apiKey')"))
                .isEqualTo(key);
    }

    /**
     * An element's text as last drawn: the batch page draws its head and overview again when the stream's
     * "done" event arrives, so an element found just before that is stale and is found again.
     */
    private static String drawnText(By by) {
        return new WebDriverWait(driver, Duration.ofSeconds(10))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElement(by).getText());
    }

    /** The whole page: the window is stretched to the page's height for the picture, then put back. */
    private static void shot(String name) throws IOException {
        Dimension before = driver.manage().window().getSize();
        long height = (Long) ((org.openqa.selenium.JavascriptExecutor) driver)
                .executeScript("return Math.ceil(document.documentElement.scrollHeight)");
        driver.manage().window().setSize(new Dimension(before.getWidth(), (int) Math.min(6000, Math.max(before.getHeight(), height + 140))));
        byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        Files.write(SHOTS.resolve(name + ".png"), png);
        driver.manage().window().setSize(before);
    }
}
