package dev.vepconnector.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.springframework.http.MediaType;

/**
 * The dashboard's backfills, in a real headless Chromium: a backfill shows with its sink, range and figures,
 * and reaches finished on the page without a reload (screenshot: target/dashboard-backfills.png).
 */
class BackfillDashboardBrowserTest {

    final Setup setup = Setup.unique();
    final FakeVep vep = new FakeVep();
    RunningConnector connector;
    ChromeDriver browser;

    @AfterEach
    void tearDown() {
        if (browser != null) {
            browser.quit();
        }
        if (connector != null) {
            connector.close();
        }
        vep.deleteQueue(setup.queue());
        vep.deleteExchange(setup.exchange());
        vep.close();
    }

    @Test
    void theDashboardListsBackfillsWithTheirProgress() throws Exception {
        vep.declareExchange(setup.exchange());
        connector = RunningConnector.start(setup.arguments("--vep.sinks.file.directory=" + setup.dataDirectory().resolve("out")));
        await().atMost(Duration.ofSeconds(30)).until(connector::isConsuming);
        for (String caseId : new String[] {"shown-1", "shown-2"}) {
            vep.publishReopenAndClose(setup.exchange(), caseId, "10:00:00");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> connector.jdbc().queryForObject(
                "SELECT COUNT(*) FROM sink_delivery WHERE state = 'DELIVERED'", Long.class) == 2);
        OffsetDateTime last = connector.jdbc().queryForObject("SELECT MAX(emitted_at) FROM case_record", OffsetDateTime.class);
        browser = chromium();
        browser.get(connector.baseUrl() + "/");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(browser.findElement(By.id("no-backfills")).isDisplayed()).isTrue());

        connector.http().post().uri("/api/sinks/file/backfill").contentType(MediaType.APPLICATION_JSON)
                .body("{\"from\": \"2026-01-01T00:00:00Z\", \"to\": \"" + last.plusSeconds(1).toInstant() + "\"}").retrieve().toBodilessEntity();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            String row = browser.findElement(By.cssSelector("#backfills tbody tr")).getText();
            assertThat(row).startsWith("file ").contains("finished").contains(" 2 2 0 ");
            assertThat(browser.findElement(By.id("no-backfills")).isDisplayed()).isFalse();
        });
        Files.write(Path.of("target", "dashboard-backfills.png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private static ChromeDriver chromium() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,900", "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).build();
        return new ChromeDriver(service, options);
    }
}
