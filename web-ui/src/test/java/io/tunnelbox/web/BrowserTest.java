package io.tunnelbox.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.testing.Requirements;
import io.tunnelbox.hal.time.Clock;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real browser (Debian's headless chromium through Selenium), against a box served
 * over HTTPS on loopback: first-boot setup, login, a tunnel form with a field error, commit confirmed
 * with its countdown, confirm, the dashboard, logout; and a commit confirmed left to run out.
 * Screenshots go to {@code target/screenshots}.
 */
class BrowserTest {
    static final String PASSWORD = "correct horse";
    static final Path SHOTS = Path.of("target", "screenshots");

    @TempDir
    Path dir;
    TestBox box;
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeEach
    void start() throws Exception {
        Requirements.tool("chromium");
        Requirements.tool("chromedriver");
        System.setProperty("SE_OFFLINE", "true");
        box = TestBox.start(dir, Clock.SYSTEM, 0);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,1000");
        options.setAcceptInsecureCerts(true); // the box's self-signed certificate
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        Files.createDirectories(SHOTS);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (box != null) {
            box.close();
        }
    }

    private WebElement visible(String id) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
    }

    private void type(String id, String text) {
        WebElement e = visible(id);
        e.clear();
        e.sendKeys(text);
    }

    private void click(String id) {
        wait.until(ExpectedConditions.elementToBeClickable(By.id(id))).click();
    }

    private void screenshot(String name) throws Exception {
        File f = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    private void logIn() {
        type("login-name", "admin");
        type("login-password", PASSWORD);
        click("login-submit");
        visible("nav-dashboard");
    }

    /** Tunnels, Add tunnel, name and remote, Save. */
    private void addTunnel(String name, String remote) {
        click("nav-tunnels");
        click("add-tunnel");
        type("f-name", name);
        type("f-remote", remote);
        click("save");
    }

    @Test
    void shouldSetUpLogInAddATunnelCommitConfirmedAndConfirm() throws Exception {
        browser.get(box.base() + "/");
        type("setup-code", box.web.setupCode().orElseThrow());
        type("setup-name", "admin");
        type("setup-password", PASSWORD);
        type("setup-password2", PASSWORD);
        click("setup-submit");
        visible("nav-dashboard");
        assertTrue(box.config.hasAdmin());
        assertTrue(box.web.setupCode().isEmpty());
        click("logout");
        visible("login-form");
        logIn();

        addTunnel("to-b", "300.1.1.1");
        WebElement error = visible("e-remote");
        wait.until(d -> !error.getText().isEmpty());
        assertTrue(error.getText().contains("not an IPv4 address"), error.getText());
        assertEquals("true", browser.findElement(By.id("f-remote")).getAttribute("aria-invalid"));
        screenshot("tunnel-form.png");

        type("f-remote", "203.0.113.1");
        click("save");
        visible("tunnel-row-to-b");

        click("nav-pending");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("diff"), "tunnels[to-b].remote = \"203.0.113.1\""));
        type("confirm-minutes", "2");
        click("commit-confirmed");
        visible("confirm-banner");
        wait.until(d -> !d.findElement(By.id("countdown")).getText().equals("?"));
        String left = browser.findElement(By.id("countdown")).getText();
        assertTrue(left.matches("1 min [0-9]{2} s|2 min 00 s"), left);
        assertTrue(box.config.confirmDeadline().isPresent());
        assertTrue(box.config.running().tunnel("to-b").isPresent());

        click("confirm-now");
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("confirm-banner")));
        assertTrue(box.config.confirmDeadline().isEmpty(), "confirmed on the box");

        click("nav-dashboard");
        WebElement card = visible("tun-to-b");
        assertTrue(card.getText().contains("up") && card.getText().contains("203.0.113.1"), card.getText());
        browser.findElement(By.cssSelector("line[data-link='to-b']"));
        Thread.sleep(4500); // two more polls: the rate graph has points
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1000, 1250));
        screenshot("dashboard.png");

        click("logout");
        visible("login-form");
        WebClient after = new WebClient(box.base(), dir);
        assertEquals(401, after.get("/api/config").status());
    }

    @Test
    void shouldChangeThePasswordOnTheAccountPage() throws Exception {
        box.config.setAdminPassword("admin", PASSWORD.toCharArray(), "test");
        WebClient other = new WebClient(box.base(), dir);
        assertEquals(200, other.login("admin", PASSWORD).status(), "another session of the same admin");
        browser.get(box.base() + "/");
        logIn();
        click("nav-account");

        type("acct-current", "not the password");
        type("acct-password", "a new password");
        type("acct-password2", "a new password");
        click("password-submit");
        WebElement wrong = visible("e-acct-current");
        wait.until(d -> !wrong.getText().isEmpty());
        assertTrue(wrong.getText().contains("the current password is wrong"), wrong.getText());

        type("acct-current", PASSWORD);
        type("acct-password", "a new password");
        type("acct-password2", "another one");
        click("password-submit");
        WebElement differ = visible("e-acct-password2");
        wait.until(d -> !differ.getText().isEmpty());
        assertTrue(differ.getText().contains("differ"), differ.getText());

        type("acct-current", PASSWORD);
        type("acct-password", "short");
        type("acct-password2", "short");
        click("password-submit");
        WebElement tooShort = visible("e-acct-password");
        wait.until(d -> !tooShort.getText().isEmpty());
        assertTrue(tooShort.getText().contains("at least 8 characters"), tooShort.getText());
        assertTrue(box.config.checkPassword("admin", PASSWORD.toCharArray()), "no change yet");

        type("acct-current", PASSWORD);
        type("acct-password", "a new password");
        type("acct-password2", "a new password");
        click("password-submit");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Password changed."));
        assertTrue(box.config.checkPassword("admin", "a new password".toCharArray()), "the console's account store has the new one");
        assertFalse(box.config.checkPassword("admin", PASSWORD.toCharArray()));
        assertFalse(box.config.running().system().admin("admin").orElseThrow().passwordHash().contains("a new password"));
        assertEquals(401, other.get("/api/config").status(), "the other session ended");
        click("nav-dashboard");
        visible("dash-tunnels");
        assertEquals(200, new WebClient(box.base(), dir).login("admin", "a new password").status());
    }

    @Test
    void shouldRollBackACommitConfirmedThatRunsOut() throws Exception {
        box.config.setAdminPassword("admin", PASSWORD.toCharArray(), "test");
        int before = box.config.runningVersion();
        browser.get(box.base() + "/");
        logIn();
        addTunnel("to-c", "192.0.2.1");
        visible("tunnel-row-to-c");
        click("nav-pending");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("diff"), "tunnels[to-c]"));
        type("confirm-minutes", "0.1"); // six seconds
        click("commit-confirmed");
        visible("confirm-banner");
        assertTrue(box.config.running().tunnel("to-c").isPresent());

        WebDriverWait longWait = new WebDriverWait(browser, Duration.ofSeconds(40));
        longWait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "not confirmed in time"));
        assertFalse(browser.findElement(By.id("confirm-banner")).isDisplayed());
        assertTrue(box.config.running().tunnel("to-c").isEmpty(), "the old configuration is back");
        assertEquals(box.config.version(before).orElseThrow(), box.config.running());
        click("nav-dashboard");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dash-tunnels"), "No GRE tunnels"));
        click("nav-tunnels");
        visible("add-tunnel");
        assertTrue(browser.findElements(By.id("tunnel-row-to-c")).isEmpty(), "the form's candidate follows the rollback");
    }
}
