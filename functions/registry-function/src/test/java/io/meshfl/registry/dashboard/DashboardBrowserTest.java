package io.meshfl.registry.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshfl.registry.TokenTestResource;
import io.meshfl.registry.Tokens;
import io.meshfl.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard in a real headless Chromium (Debian's), driven by Selenium through Debian's chromedriver. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TokenTestResource.class)
class DashboardBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    /** Chart.js's own view of the chart: how many points its first line (the federation's) has. */
    private static final String FEDERATION_POINTS = """
            const canvas = document.getElementById('accuracy-chart');
            const chart = window.Chart && canvas ? Chart.getChart(canvas) : undefined;
            return chart ? chart.data.datasets[0].data.length : null;""";

    @TestHTTPResource("/")
    URL root;

    @Test
    void theModelPageOfAModelWithThreeCompletedRoundsShowsThemAndChartsTheirMetrics(@TempDir Path profile) {
        assumeTrue(Files.isExecutable(CHROMIUM), "Browser test skipped: no Chromium at " + CHROMIUM
                + " (install it with: apt-get install -y chromium chromium-driver)");
        assertThat(CHROMEDRIVER).as("Debian's chromedriver beside Chromium (apt-get install -y chromium-driver)")
                .isExecutable();

        // Prepare: a model trained for three rounds through the registry's API, with reported metrics.
        TrainedModel trained = TrainedModel.withCompletedRounds(3);
        WebDriver browser = chromium(profile);
        try {
            // Execute: follow the login link the local mesh prints, then open the model from the overview.
            String loginPath = io.restassured.RestAssured.given()
                    .header("Authorization", "Bearer " + Tokens.governance())
                    .post("/dashboard/login/codes").then().statusCode(200).extract().path("loginPath");
            browser.get(root + loginPath.substring(1));
            WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
            WebElement modelLink = wait.until(ExpectedConditions.elementToBeClickable(
                    By.cssSelector("#models a[href='/dashboard/models/" + trained.id() + "']")));
            assertThat(browser.getCurrentUrl()).isEqualTo(root + "dashboard");
            modelLink.click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("rounds")));

            // Assert: the three closed rounds and the open fourth, and a chart Chart.js drew with three points.
            assertThat(browser.getTitle()).isEqualTo("Model " + trained.id() + " · MeshFL");
            assertThat(browser.findElements(By.cssSelector("#rounds tbody tr")))
                    .extracting(row -> row.findElement(By.cssSelector("th")).getText() + " "
                            + row.findElement(By.cssSelector(".badge")).getText())
                    .containsExactly("1 CLOSED", "2 CLOSED", "3 CLOSED", "4 OPEN");
            Object points = wait.until(driver -> ((JavascriptExecutor) driver).executeScript(FEDERATION_POINTS));
            assertThat(points).isEqualTo(3L);
            WebElement canvas = browser.findElement(By.id("accuracy-chart"));
            assertThat(canvas.getSize().getWidth()).isPositive();
            assertThat(canvas.getSize().getHeight()).isPositive();
        } finally {
            browser.quit();
        }
    }

    /** Debian's Chromium and chromedriver by their paths, so Selenium Manager never looks for (or downloads) any. */
    private static WebDriver chromium(Path profile) {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }
}
