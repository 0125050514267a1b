package dev.vepconnector.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real headless Chromium: the figures it shows for each queue are those of the
 * events VEP sent, they change live when new events arrive, and the screenshot of the page is kept
 * (target/dashboard.png) and checked to be a rendered page, not a blank one.
 */
class DashboardBrowserTest {

    static final Setup SETUP = Setup.unique();
    static final FakeVep VEP = new FakeVep();
    static RunningConnector connector;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        VEP.declareExchange(SETUP.exchange());
        connector = RunningConnector.start(SETUP.arguments("--vep.monitoring.history-interval=300ms",
                "--vep.sinks.file.directory=" + SETUP.dataDirectory().resolve("out")));
        await().atMost(Duration.ofSeconds(30)).until(connector::isConsuming);
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,900", "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        connector.close();
        VEP.deleteQueue(SETUP.queue());
        VEP.deleteExchange(SETUP.exchange());
        VEP.close();
    }

    @Test
    void theDashboardShowsTheQueuesAsVepReportsThemAndUpdatesLive() throws Exception {
        publish("configuration.group", """
                {"eventTime": "2026-11-23T08:00:00.000Z", "groupId": "g-support", "groupName": "Support"}""");
        publish("group.loadChanged", """
                {"eventTime": "2026-11-23T10:00:00.000Z", "groupId": "g-support", "numberOfAvailableAgents": 6,
                 "numberOfVisitorsInQueue": 11, "numberOfVisitorsInConversation": 4}""");
        publish("group.performanceTimers", """
                {"eventTime": "2026-11-23T10:00:01.000Z", "groupId": "g-support", "averageWaitingTime": 42500,
                 "longestWaitingTime": 95000}""");
        publish("group.loadChanged", """
                {"eventTime": "2026-11-23T10:00:00.000Z", "groupId": "g-sales", "numberOfAvailableAgents": 2,
                 "numberOfVisitorsInQueue": 0, "numberOfVisitorsInConversation": 1}""");
        publishClosedCase("case-on-dashboard");

        browser.get(connector.baseUrl() + "/");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            assertThat(field("g-support", "name")).isEqualTo("Support");
            assertThat(field("g-support", "numberOfVisitorsInQueue")).isEqualTo("11");
            assertThat(field("g-support", "numberOfVisitorsInConversation")).isEqualTo("4");
            assertThat(field("g-support", "numberOfAvailableAgents")).isEqualTo("6");
            assertThat(field("g-support", "averageWaitingTime")).isEqualTo("42.5 s");
            assertThat(field("g-support", "longestWaitingTime")).isEqualTo("1 min 35 s");
            assertThat(field("g-sales", "name")).isEqualTo("g-sales");
            assertThat(field("g-sales", "numberOfVisitorsInQueue")).isEqualTo("0");
            assertThat(browser.findElement(By.id("connection")).getText()).isEqualTo("live");
            assertThat(browser.findElement(By.cssSelector("#cases tbody")).getText()).contains("case-on-dashboard");
            assertThat(browser.findElement(By.cssSelector("#sinks tbody")).getText()).startsWith("file 1 0 0");
        });

        // A new event changes the page without a reload.
        publish("group.loadChanged", """
                {"eventTime": "2026-11-23T10:00:10.000Z", "groupId": "g-support", "numberOfVisitorsInQueue": 3}""");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(field("g-support", "numberOfVisitorsInQueue")).isEqualTo("3"));
        assertThat(field("g-support", "numberOfVisitorsInConversation")).isEqualTo("4");

        byte[] png = browser.getScreenshotAs(OutputType.BYTES);
        Files.write(Path.of("target", "dashboard.png"), png);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isGreaterThan(1000);
        assertThat(distinctColours(image)).as("a rendered page, not a blank one").isGreaterThan(20);
    }

    private static String field(String groupId, String field) {
        WebElement cell = browser.findElement(By.cssSelector("tr[data-group-id='" + groupId + "'] td[data-field='" + field + "']"));
        return cell.getText();
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int x = 0; x < image.getWidth(); x += 4) {
            for (int y = 0; y < image.getHeight(); y += 4) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    private static void publishClosedCase(String caseId) throws Exception {
        publish("case.opened", """
                {"eventTime": "2026-11-23T10:00:00.000Z", "caseId": "%s", "agentId": "a-1", "groupId": "g-support"}""".formatted(caseId));
        publish("case.closed", """
                {"eventTime": "2026-11-23T10:01:00.000Z", "caseId": "%s", "outcome": "positive"}""".formatted(caseId));
        publish("case.transcriptClosed", """
                {"eventTime": "2026-11-23T10:01:01.000Z", "caseId": "%s", "transcript": {"messages": []}}""".formatted(caseId));
    }

    private static void publish(String key, String body) throws Exception {
        VEP.publish(SETUP.exchange(), key, body);
    }
}
