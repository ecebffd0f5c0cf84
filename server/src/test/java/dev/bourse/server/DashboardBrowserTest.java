package dev.bourse.server;

import io.aeron.CommonContext;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The dashboard in a real headless Chromium against a running exchange: it loads, shows the book
 * and the tape live from the streams; a resting FIX order appears in the book ladder, and a FIX
 * trade appears on the tape and empties that level, all without a reload; the logged-in user sees
 * the fill. Takes a screenshot (target/dashboard.png).
 * <p>
 * Needs Debian's chromium and chromium-driver ({@code .ci/install-browser} installs them; CI runs
 * it first). Without them the test fails and says so: it is not skipped.
 */
class DashboardBrowserTest
{
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path temp;

    private final String aeronDir = CommonContext.getAeronDirectoryName() + "-dashboard-" + UUID.randomUUID();
    private ExchangeServer server;
    private WebDriver browser;

    @AfterEach
    void stop()
    {
        if (browser != null)
        {
            browser.quit();
        }
        if (server != null)
        {
            server.close();
        }
        IoUtil.delete(Path.of(aeronDir).toFile(), true);
    }

    @Test
    void theDashboardShowsAFixTradeOnTheTapeAndTheBookChangeWithoutAReload() throws Exception
    {
        final WebDriverWait wait = openDashboard(Map.of());
        assertEquals("OPEN", browser.findElement(By.id("status")).getText());

        // Log in as bob: his fills appear in the page.
        logInAsBob(wait);
        final long tapeRowsBefore = rows("tape").size();

        try (ServerIntegrationTest.MiniFix alice = new ServerIntegrationTest.MiniFix(server.gatewayPort(), "ALICE");
            ServerIntegrationTest.MiniFix bob = new ServerIntegrationTest.MiniFix(server.gatewayPort(), "BOB"))
        {
            assertEquals("A", alice.logon("alice", "alice-demo").get(35));
            assertEquals("A", bob.logon("bob", "bob-demo").get(35));

            // A resting sell at 191.25: the ladder shows the new ask level.
            alice.send("D", "11=S1|55=AAPL|54=2|38=70|40=2|44=191.25|59=1|60=" + ServerIntegrationTest.MiniFix.now() + "|");
            alice.expectExecType("0");
            wait.until(d -> ladderHas(d, "191.25", "70"));

            // Bob lifts it: the trade is on the tape, the level is gone, and bob sees his fill.
            bob.send("D", "11=B1|55=AAPL|54=1|38=70|40=2|44=191.25|59=3|60=" + ServerIntegrationTest.MiniFix.now() + "|");
            bob.expectExecType("F");
            wait.until(d -> rows("tape").size() > tapeRowsBefore && rows("tape").get(0).getText().contains("191.25") &&
                rows("tape").get(0).getText().contains("70") && rows("tape").get(0).getText().contains("BUY"));
            wait.until(d -> !ladderHas(d, "191.25", "70"));
            wait.until(d -> !rows("fills").isEmpty() && rows("fills").get(0).getText().contains("191.25"));
            wait.until(d -> d.findElement(By.id("stat-last")).getText().equals("191.25"));
        }
        wait.until(d -> !d.findElement(By.id("health")).getText().isEmpty());

        final File shot = ((TakesScreenshot)browser).getScreenshotAs(OutputType.FILE);
        final Path target = Path.of("target", "dashboard.png");
        Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(target) > 10_000, "a screenshot of the page");
    }

    /**
     * An outside tester: when a login's token expired the page went on showing the orders and fills
     * panels, no longer updated, with no word of it and no way to log in again but a reload.
     */
    @Test
    void aLoginThatEndsIsSaidAndTheLoginFormComesBack() throws Exception
    {
        final WebDriverWait wait = openDashboard(Map.of("query.token-lifetime", "2s"));
        logInAsBob(wait);
        wait.until(d -> "login ended: log in again".equals(d.findElement(By.id("account")).getText()));
        assertTrue(browser.findElement(By.id("login")).isDisplayed(), "the login form again");
        assertFalse(browser.findElement(By.id("orders-panel")).isDisplayed(), "no panel of orders no longer followed");
        assertFalse(browser.findElement(By.id("fills-panel")).isDisplayed());
        browser.findElement(By.id("username")).clear();
        browser.findElement(By.id("password")).clear();
        logInAsBob(wait);
        assertTrue(browser.findElement(By.id("account")).getText().startsWith("bob"), "logged in again");
    }

    /** The exchange (the example configuration with {@code overrides}) and the page loaded in Chromium, live. */
    private WebDriverWait openDashboard(final Map<String, String> overrides) throws Exception
    {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
            "the browser test needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER +
            "): run .ci/install-browser (apt-get install -y chromium chromium-driver)");
        final Map<String, String> config = new java.util.HashMap<>(ExampleConfig.isolated(temp.resolve("data"), aeronDir));
        config.putAll(overrides);
        server = ExchangeServer.start(ExampleConfig.read(config), line -> { });
        browser = chromium();
        final WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(50));
        browser.get("http://127.0.0.1:" + server.queryPort() + "/");
        wait.until(d -> "live".equals(d.findElement(By.id("connection")).getText()));
        wait.until(d -> "AAPL".equals(d.findElement(By.id("symbol")).getText()));
        return wait;
    }

    private void logInAsBob(final WebDriverWait wait)
    {
        browser.findElement(By.id("username")).sendKeys("bob");
        browser.findElement(By.id("password")).sendKeys("bob-demo");
        browser.findElement(By.cssSelector("#login button")).click();
        wait.until(d -> d.findElement(By.id("orders-panel")).isDisplayed());
    }

    private List<WebElement> rows(final String table)
    {
        return browser.findElements(By.cssSelector("#" + table + " tbody tr"));
    }

    private static boolean ladderHas(final WebDriver d, final String price, final String quantity)
    {
        for (final WebElement row : d.findElements(By.cssSelector("#ladder tbody tr.ask-row")))
        {
            final String text = row.getText();
            if (text.contains(price) && text.contains(quantity))
            {
                return true;
            }
        }
        return false;
    }

    private WebDriver chromium() throws Exception
    {
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Headless in a container as root, and nothing that reaches out to the (closed) network.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-quic", "--window-size=1400,1000",
            "--user-data-dir=" + Files.createDirectories(temp.resolve("chromium-profile")));
        final ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
        return new ChromeDriver(service, options);
    }

}
