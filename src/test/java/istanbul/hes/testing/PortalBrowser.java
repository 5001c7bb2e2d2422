package istanbul.hes.testing;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real browser for a test class: Debian's Chromium, headless, driven by its ChromeDriver through
 * Selenium, at a phone's width. {@code @RegisterExtension static final PortalBrowser browser = new
 * PortalBrowser();}. When a test fails, the page it was on is written to
 * {@code target/portal-screenshots/<class>.<test>.png} (and its HTML beside it).
 *
 * <p>CI installs chromium and chromium-driver (.ci/run): there a missing browser fails the tests;
 * elsewhere they are skipped, saying what to install.
 */
public final class PortalBrowser implements BeforeAllCallback, AfterAllCallback, AfterTestExecutionCallback {
  public static final Path CHROMIUM = Path.of(System.getProperty("hes.test.chromium", "/usr/bin/chromium"));
  public static final Path CHROMEDRIVER = Path.of(System.getProperty("hes.test.chromedriver", "/usr/bin/chromedriver"));
  /** A common phone's viewport (CSS pixels): the pages must work without sideways scrolling there. */
  public static final Dimension PHONE = new Dimension(390, 844);
  private static final Path SCREENSHOTS = Path.of("target", "portal-screenshots");
  /**
   * Selenium looks for a DevTools module of the browser's version and warns at every start when
   * there is none: the tests use WebDriver only, so the project carries none (held here, as
   * java.util.logging keeps loggers weakly).
   */
  private static final java.util.logging.Logger CDP_FINDER = java.util.logging.Logger.getLogger(
      "org.openqa.selenium.devtools.CdpVersionFinder");

  private ChromeDriver driver;
  private Path profile;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      String missing = CHROMIUM + " and " + CHROMEDRIVER + " (Debian packages chromium and chromium-driver)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("the browser tests need " + missing + " (CI=true): .ci/run installs them");
      }
      assumeTrue(false, "the browser tests need " + missing + ": apt-get install chromium chromium-driver");
    }
    CDP_FINDER.setLevel(java.util.logging.Level.OFF);
    profile = Files.createTempDirectory("hes-portal-chromium");
    ChromeOptions options = new ChromeOptions()
        .setBinary(CHROMIUM.toFile())
        // A closed network: without the background-networking flags Chromium keeps trying Google's hosts.
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--lang=en-US", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
        .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(30));
    driver.manage().window().setSize(PHONE);
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    if (context.getExecutionException().isEmpty() || driver == null) {
      return;
    }
    String name = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
    try {
      Files.createDirectories(SCREENSHOTS);
      File shot = driver.getScreenshotAs(OutputType.FILE);
      Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(SCREENSHOTS.resolve(name + ".html"), driver.getPageSource(), StandardCharsets.UTF_8);
      System.err.println("the page at the failure of " + name + " (" + driver.getCurrentUrl() + "): " + SCREENSHOTS.resolve(name + ".png"));
    } catch (IOException | RuntimeException e) {
      System.err.println("no screenshot of " + name + ": " + e);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (driver != null) {
      driver.quit();
    }
    if (profile != null) {
      deleteTree(profile);
    }
  }

  public ChromeDriver driver() {
    return driver;
  }

  /** A screenshot of the page as it is now, to {@code file} (the README's pictures). */
  public void screenshot(Path file) {
    // The whole page, not just the phone's first screen: the window is made as tall as the page for the picture.
    long height = (Long) driver.executeScript("window.scrollTo(0, 0); return document.documentElement.scrollHeight");
    driver.manage().window().setSize(new Dimension(PHONE.getWidth(), (int) Math.max(PHONE.getHeight(), height + 120)));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      driver.manage().window().setSize(PHONE);
    }
  }

  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary folder is not a test failure.
    }
  }
}
