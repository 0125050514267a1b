package dev.vepconnector.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vepconnector.support.ConnectorTestSupport.Setup;
import dev.vepconnector.support.FakeVep;
import dev.vepconnector.support.RunningConnector;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real headless Chromium, fed by a real broker: a card per queue with VEP's figures, updated
 * live, its longest wait counting up, its history chart drawn and kept through updates, the alert style of a
 * queue over its threshold; a phone without sideways scrolling, the wallboard on one Full HD screen, and a case
 * opening to its transcript with agents' names; twelve queues on the wallboard still on one screen. Screenshots go
 * to {@code vep.test.screenshots} (default target/screenshots): desktop, phone, wallboard, wallboard-12, case.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

    static final Setup SETUP = Setup.unique();
    static final FakeVep VEP = new FakeVep();
    static final Path SCREENSHOTS = Path.of(System.getProperty("vep.test.screenshots", "target/screenshots"));
    static final String CASE_ID = "8c1d2e3f-4a5b-4c6d-8e7f-90a1b2c3d4e5";
    static RunningConnector connector;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        VEP.declareExchange(SETUP.exchange());
        connector = RunningConnector.start(SETUP.arguments("--vep.monitoring.history-interval=300ms",
                "--vep.monitoring.thresholds.default.visitors-in-queue-warning=2",
                "--vep.monitoring.thresholds.default.visitors-in-queue-alert=3",
                "--vep.sinks.file.directory=" + SETUP.dataDirectory().resolve("out")));
        await().atMost(Duration.ofSeconds(30)).until(connector::isConsuming);
        publishContactCenter();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1000", "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
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

    @BeforeEach
    void desktop() {
        screen(1400, 1000, false);
    }

    @Test
    void eachQueueShowsWhatVepReportsLiveWithItsLongestWaitCountingAndAChartThatStaysDrawn() throws Exception {
        open("/");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            assertThat(field("g-orders", "name")).isEqualTo("Orders");
            assertThat(field("g-orders", "numberOfVisitorsInQueue")).isEqualTo("11");
            assertThat(field("g-orders", "numberOfVisitorsInConversation")).isEqualTo("4");
            assertThat(field("g-orders", "numberOfAvailableAgents")).isEqualTo("0");
            assertThat(field("g-orders", "averageWaitingTime")).isEqualTo("43 s");
            assertThat(field("g-billing", "numberOfVisitorsInQueue")).isEqualTo("2");
            assertThat(total("waiting")).isEqualTo("14");
            assertThat(total("available")).isEqualTo("7");
            assertThat(browser.findElement(By.id("connection")).getText()).isEqualTo("live");
            assertThat(browser.findElement(By.cssSelector("[data-system='broker']")).getText()).contains("connected");
            assertThat(browser.findElement(By.cssSelector("[data-system='dataDisk']")).getText()).matches("Data disk [0-9.,]+ [KMGT]?i?B free");
            assertThat(browser.findElement(By.cssSelector("#cases tbody")).getText()).contains("Orders").contains("positive");
            assertThat(browser.findElement(By.cssSelector("#sinks tbody")).getText()).startsWith("file 3 0 0");
        });
        // VEP reported 95 s; between its reports the page counts on from there.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(seconds(field("g-orders", "longestWaitingTime"))).isGreaterThan(95));
        assertThat(browser.findElement(By.cssSelector("[data-group-id='g-orders'] .longest dt")).getAttribute("title"))
                .contains("waiting longest right now");
        assertThat(seconds(field("g-billing", "longestWaitingTime"))).as("counted from when VEP reported it (longestWaitingTimeAt)")
                .isGreaterThanOrEqualTo(5 * 60 + 31);
        assertThat(browser.findElement(By.cssSelector("#queues-heading + .legend")).getText())
                .contains("answered within 60 s").doesNotContain("the target");
        assertThat(card("g-orders").findElement(By.xpath(".//dd[@data-field='serviceLevel']/preceding-sibling::dt")).getAttribute("title"))
                .endsWith("no longer than 60 s");

        for (int waiting = 1; waiting <= 4; waiting++) {
            publishLoad("g-support", waiting, 3, 2);
            String expected = String.valueOf(waiting);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(field("g-support", "numberOfVisitorsInQueue")).isEqualTo(expected));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(chartPixels("g-support")).isGreaterThan(200));
        browser.executeScript("document.querySelector(\"[data-group-id='g-support'] canvas\").dataset.kept = 'yes'");
        publishLoad("g-support", 1, 3, 2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(field("g-support", "numberOfVisitorsInQueue")).isEqualTo("1"));
        assertThat(chartPixels("g-support")).as("the chart right after a live update").isGreaterThan(200);
        assertThat(browser.findElement(By.cssSelector("[data-group-id='g-support'] canvas")).getAttribute("data-kept")).isEqualTo("yes");
        screenshot("desktop");
    }

    @Test
    void aQueueOverItsAlertThresholdShowsAsAnAlertAndOneWithinItsThresholdsAsOk() {
        open("/");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            assertThat(card("g-orders").getAttribute("class")).contains("status-alert");
            assertThat(field("g-orders", "statusText")).isEqualTo("Alert");
            assertThat(card("g-orders").findElement(By.cssSelector(".reasons")).getText()).isNotBlank();
            assertThat(card("g-billing").getAttribute("class")).contains("status-warning");
            assertThat(field("g-billing", "statusText")).isEqualTo("Warning");
            assertThat(card("g-returns").getAttribute("class")).contains("status-ok");
            assertThat(field("g-returns", "statusText")).isEqualTo("OK");
        });
        String alertBackground = (String) browser.executeScript(
                "return getComputedStyle(document.querySelector(\"[data-group-id='g-orders'] .status\")).backgroundColor");
        String okBackground = (String) browser.executeScript(
                "return getComputedStyle(document.querySelector(\"[data-group-id='g-returns'] .status\")).backgroundColor");
        assertThat(alertBackground).isNotEqualTo(okBackground);
    }

    @Test
    void onAPhoneThePageDoesNotScrollSideways() throws Exception {
        screen(390, 844, true);
        open("/");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            assertThat(browser.findElements(By.cssSelector("#groups .card"))).hasSize(4);
            assertThat(browser.findElement(By.cssSelector("#cases tbody")).getText()).contains("Orders");
        });
        assertThat(number("return document.documentElement.scrollWidth")).isLessThanOrEqualTo(number("return innerWidth"));
        assertThat(number("return Math.max(...[...document.querySelectorAll('body *')].map(e => e.getBoundingClientRect().right))"))
                .as("the right edge of every element").isLessThanOrEqualTo(number("return innerWidth"));
        screenshot("phone");
        browser.executeScript("document.getElementById('cases-heading').scrollIntoView()");
        screenshot("phone-cases");
    }

    @Test
    void theWallboardFitsAFullHdScreenWithoutScrolling() throws Exception {
        screen(1920, 1080, false);
        open("/?view=wallboard");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            assertThat(browser.findElements(By.cssSelector("#groups .card"))).hasSize(4);
            assertThat(field("g-orders", "numberOfVisitorsInQueue")).isEqualTo("11");
            assertThat(chartPixels("g-orders")).isGreaterThan(100);
        });
        assertThat(browser.findElement(By.id("cases")).isDisplayed()).as("the wallboard shows queues only").isFalse();
        assertThat(number("return document.documentElement.scrollHeight")).isLessThanOrEqualTo(number("return innerHeight"));
        assertThat(number("return document.documentElement.scrollWidth")).isLessThanOrEqualTo(number("return innerWidth"));
        assertThat(number("return Math.max(...[...document.querySelectorAll('#groups .card')].map(c => c.getBoundingClientRect().bottom))"))
                .as("the bottom of the lowest card").isLessThanOrEqualTo(number("return innerHeight"));
        assertThat(number("return parseFloat(getComputedStyle(document.querySelector(\"[data-field='numberOfVisitorsInQueue']\")).fontSize)"))
                .as("waiting visitors readable across a room, px").isGreaterThanOrEqualTo(48);
        screenshot("wallboard");
    }

    /** Last: it adds eight queues to the four the other tests count on. */
    @Test
    @Order(Integer.MAX_VALUE)
    void theWallboardHoldsTwelveQueuesOnAFullHdScreenWithoutScrolling() throws Exception {
        publishEightMoreQueues();
        screen(1920, 1080, false);
        open("/?view=wallboard");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            assertThat(browser.findElements(By.cssSelector("#groups .card"))).hasSize(12);
            assertThat(field("g-q12", "numberOfVisitorsInQueue")).isEqualTo("5");
            assertThat(card("g-q12").getAttribute("class")).contains("status-alert");
        });
        screenshot("wallboard-12");
        assertThat(number("return document.documentElement.scrollHeight")).isLessThanOrEqualTo(number("return innerHeight"));
        assertThat(number("return document.documentElement.scrollWidth")).isLessThanOrEqualTo(number("return innerWidth"));
        assertThat(number("return Math.max(...[...document.querySelectorAll('#groups .card')].map(c => c.getBoundingClientRect().bottom))"))
                .as("the bottom of the lowest card").isLessThanOrEqualTo(number("return innerHeight"));
        assertThat(number("return [...document.querySelectorAll('#groups .card')].filter(c => c.scrollHeight > c.clientHeight + 1).length"))
                .as("cards whose content does not fit in them").isZero();
        assertThat(number("return Math.min(...[...document.querySelectorAll(\"#groups [data-field='numberOfVisitorsInQueue']\")].map(e => parseFloat(getComputedStyle(e).fontSize)))"))
                .as("waiting visitors still readable across a room, px").isGreaterThanOrEqualTo(32);
        assertThat(card("g-q12").findElement(By.cssSelector(".reasons")).isDisplayed()).as("why a queue is on alert").isTrue();
    }

    @Test
    void aCaseOpensToItsRecordWithTheTranscriptUnderTheAgentsNameAndLeadsBack() throws Exception {
        open("/");
        WebElement row = await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> browser.findElements(By.cssSelector("#cases tbody tr"))
                .stream().filter(r -> r.findElement(By.tagName("a")).getAttribute("href").endsWith(CASE_ID)).findFirst().orElse(null), r -> r != null);
        row.click();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            WebElement view = browser.findElement(By.id("case-view"));
            assertThat(view.isDisplayed()).isTrue();
            assertThat(view.findElement(By.cssSelector(".transcript")).getText())
                    .contains("Ada Berg").contains("Which order is it?").contains("Visitor").contains("My parcel went to my old address")
                    .containsIgnoringCase("Note, not shown to the visitor");
            assertThat(view.findElement(By.cssSelector(".transcript")).getText()).doesNotContain("a-ada");
            assertThat(view.findElement(By.cssSelector(".assignments")).getText()).contains("Ada Berg").contains("Orders");
        });
        assertThat(browser.findElement(By.id("dashboard")).isDisplayed()).isFalse();
        screenshot("case");
        browser.findElement(By.id("back")).click();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(browser.findElement(By.id("dashboard")).isDisplayed()).isTrue();
            assertThat(browser.findElement(By.id("case-view")).isDisplayed()).isFalse();
        });
    }

    // ---- the contact center VEP reports -----------------------------------------------------------

    private static void publishContactCenter() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String setupAt = now.minus(2, ChronoUnit.HOURS).toString();
        for (String[] group : List.of(new String[] {"g-billing", "Billing"}, new String[] {"g-orders", "Orders"},
                new String[] {"g-support", "Technical support"}, new String[] {"g-returns", "Returns"})) {
            publish("configuration.group", """
                    {"eventTime": "%s", "groupId": "%s", "groupName": "%s"}""".formatted(setupAt, group[0], group[1]));
        }
        publish("configuration.agent", """
                {"eventTime": "%s", "agentId": "a-ada", "agentName": "Ada Berg", "agentEmail": "ada@example.com",
                 "agentAssignedGroups": ["g-orders"]}""".formatted(setupAt));
        publish("configuration.caseType", """
                {"eventTime": "%s", "caseTypeId": "t-orders", "caseTypeName": "Orders"}""".formatted(setupAt));
        publishLoad("g-billing", 2, 3, 2);
        publishLoad("g-orders", 11, 0, 4);
        publishLoad("g-support", 0, 3, 1);
        publishLoad("g-returns", 1, 1, 0);
        publish("group.performanceTimers", """
                {"eventTime": "%s", "groupId": "g-orders", "averageWaitingTime": 42500, "longestWaitingTime": 95000}""".formatted(now));
        // Reported five minutes ago and not since: the visitor has waited 31 s more than five minutes by now.
        publish("group.performanceTimers", """
                {"eventTime": "%s", "groupId": "g-billing", "averageWaitingTime": 18000, "longestWaitingTime": 31000}"""
                .formatted(now.minus(5, ChronoUnit.MINUTES)));
        publishCase(CASE_ID, now.minus(20, ChronoUnit.MINUTES), "positive", true);
        publishCase("5a6b7c8d-1111-4c6d-8e7f-90a1b2c3d4e5", now.minus(40, ChronoUnit.MINUTES), "negative", false);
        publishCase("6b7c8d9e-2222-4c6d-8e7f-90a1b2c3d4e5", now.minus(30, ChronoUnit.MINUTES), "positive", false);
    }

    private static void publishCase(String caseId, Instant created, String outcome, boolean conversation) throws Exception {
        Instant opened = created.plusSeconds(25);
        Instant closed = opened.plus(6, ChronoUnit.MINUTES);
        publish("case.created", """
                {"eventTime": "%s", "caseId": "%s", "caseTypeId": "t-orders"}""".formatted(created, caseId));
        publish("case.opened", """
                {"eventTime": "%s", "caseId": "%s", "agentId": "a-ada", "groupId": "g-orders"}""".formatted(opened, caseId));
        publish("case.closed", """
                {"eventTime": "%s", "caseId": "%s", "outcome": "%s", "closure": "Delivery address changed"}""".formatted(closed, caseId, outcome));
        String messages = !conversation ? "" : """
                {"eventTime": "%1$s", "speaker": {"visitorId": "v-1"}, "recipients": [{"agentId": {"id": "a-ada"}}],
                 "messageType": "chat", "message": "My parcel went to my old address"},
                {"eventTime": "%2$s", "speaker": {"agentId": {"id": "a-ada", "externalIds": {}}}, "recipients": [{"visitorId": "v-1"}],
                 "messageType": "chat", "message": "Which order is it?"},
                {"eventTime": "%3$s", "speaker": {"agentId": {"id": "a-ada"}}, "recipients": [],
                 "messageType": "note", "message": "Verified by order number"}""".formatted(opened.plusSeconds(5), opened.plusSeconds(30), opened.plusSeconds(90));
        publish("case.transcriptClosed", """
                {"eventTime": "%s", "caseId": "%s", "transcript": {"messages": [%s]}}""".formatted(closed.plusSeconds(1), caseId, messages));
    }

    /** Warning from 2, alert from 3: the last, Escalations (g-q12), on alert with 5. */
    private static final int[] WAITING_IN_MORE_QUEUES = {0, 2, 1, 4, 0, 3, 1, 5};

    private static void publishEightMoreQueues() throws Exception {
        String setupAt = Instant.now().minus(1, ChronoUnit.HOURS).toString();
        String[] names = {"Corporate accounts", "Premium customers", "Deliveries", "Invoices and payments", "Loyalty programme",
                "Store pick-up", "Warranty claims", "Escalations"};
        for (int i = 0; i < names.length; i++) {
            String groupId = "g-q" + (i + 5);
            publish("configuration.group", """
                    {"eventTime": "%s", "groupId": "%s", "groupName": "%s"}""".formatted(setupAt, groupId, names[i]));
            publishLoad(groupId, WAITING_IN_MORE_QUEUES[i], 4 - i % 3, i % 4);
            publish("group.performanceTimers", """
                    {"eventTime": "%s", "groupId": "%s", "averageWaitingTime": %d, "longestWaitingTime": %d}"""
                    .formatted(Instant.now(), groupId, 5000 * (i + 1), 12000 * (i + 1)));
        }
    }

    private static void publishLoad(String groupId, int waiting, int available, int inConversation) throws Exception {
        publish("group.loadChanged", """
                {"eventTime": "%s", "groupId": "%s", "numberOfAvailableAgents": %d, "numberOfVisitorsInQueue": %d,
                 "numberOfVisitorsInConversation": %d}""".formatted(Instant.now(), groupId, available, waiting, inConversation));
    }

    private static void publish(String key, String body) throws Exception {
        VEP.publish(SETUP.exchange(), key, body);
    }

    // ---- the page ---------------------------------------------------------------------------------

    private static void screen(int width, int height, boolean mobile) {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
    }

    private static void open(String path) {
        browser.get(connector.baseUrl() + path);
    }

    private static WebElement card(String groupId) {
        return browser.findElement(By.cssSelector(".card[data-group-id='" + groupId + "']"));
    }

    private static String field(String groupId, String field) {
        return card(groupId).findElement(By.cssSelector("[data-field='" + field + "']")).getText();
    }

    private static String total(String name) {
        return browser.findElement(By.cssSelector("[data-total='" + name + "']")).getText();
    }

    /** "1:38" as 98. */
    private static long seconds(String shown) {
        String[] parts = shown.split(":");
        return Long.parseLong(parts[0]) * 60 + Long.parseLong(parts[1]);
    }

    /** The pixels the group's history chart has drawn (not transparent). */
    private static long chartPixels(String groupId) {
        return number("""
                const canvas = document.querySelector("[data-group-id='%s'] canvas");
                const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                let drawn = 0;
                for (let i = 3; i < data.length; i += 4) if (data[i] > 0) drawn++;
                return drawn;""".formatted(groupId));
    }

    private static long number(String script) {
        return ((Number) browser.executeScript(script)).longValue();
    }

    private static void screenshot(String name) throws Exception {
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }
}
